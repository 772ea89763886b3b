//! Replaying a file like audio arriving on a live line.
//!
//! A reader thread decodes, downmixes and resamples the file and sends fixed-length
//! chunks of mono samples over a bounded channel; the consumer feeds them to the detector.
//! The bound (8 chunks) keeps memory constant however long the file is, and the split is
//! the shape a live call has: the detector never sees audio before it "arrives".
//!
//! Chunk buffers travel back to the reader over a second channel and are reused, so a
//! replay allocates a handful of buffers, not one per chunk.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use crossbeam_channel::{Receiver, Sender};

use crate::downmix::downmix;
use crate::error::{AudioError, AudioErrorKind};
use crate::pace::{Pace, Pacer};
use crate::resample::Resampler;
use crate::source::{AudioSource, SourceInfo, open_source};

/// Chunks in flight between the reader and the consumer.
pub const CHANNEL_CAPACITY: usize = 8;

/// Frames decoded from the file per read.
const READ_FRAMES: usize = 4096;

/// How to cut and deliver the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// Sample rate delivered to the consumer (the detector's rate).
    pub rate: u32,
    /// Samples per chunk. Every chunk has exactly this many, except the last.
    pub chunk_len: usize,
    /// Deliver at the speed of a live line (the reader thread sleeps); `None`: as fast as
    /// the file decodes.
    pub pace: Option<Pace>,
}

impl StreamOptions {
    /// Chunks of 100 ms at `rate`: ten detector hops, few enough messages to be cheap,
    /// short enough to pace like a live line.
    pub fn for_rate(rate: u32) -> Self {
        Self {
            rate,
            chunk_len: (rate as usize / 10).max(1),
            pace: None,
        }
    }

    /// The same options, delivered at the pace `pace` asks for.
    pub fn paced(self, pace: Pace) -> Self {
        Self {
            pace: Some(pace),
            ..self
        }
    }
}

/// What the reader thread sends.
enum Message {
    Chunk(Vec<f32>),
    Failed(AudioErrorKind),
}

/// A file being replayed; drain it with [`AudioStream::for_each_chunk`].
#[derive(Debug)]
pub struct AudioStream {
    path: PathBuf,
    info: SourceInfo,
    resampled: bool,
    /// `None` only while dropping.
    chunks: Option<Receiver<Message>>,
    recycle: Sender<Vec<f32>>,
    reader: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Chunk(c) => write!(f, "Chunk({} samples)", c.len()),
            Self::Failed(e) => write!(f, "Failed({e})"),
        }
    }
}

/// What a finished replay delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSummary {
    /// Samples delivered, at the stream's rate.
    pub samples: u64,
}

impl AudioStream {
    /// Opens `path` and starts the reader thread.
    ///
    /// Problems visible in the header are returned here; problems found while decoding
    /// come out of [`AudioStream::for_each_chunk`].
    pub fn open(path: &Path, options: StreamOptions) -> Result<Self, AudioError> {
        let source = open_source(path)?;
        Self::from_source(path, source, options)
    }

    /// Starts replaying an already opened source (`path` is used in error messages).
    pub fn from_source(
        path: &Path,
        source: Box<dyn AudioSource>,
        options: StreamOptions,
    ) -> Result<Self, AudioError> {
        let info = source.info().clone();
        let resampler = Resampler::new(info.sample_rate, options.rate)
            .map_err(|kind| AudioError::new(path, kind))?;
        let resampled = !resampler.is_passthrough();
        let (chunk_tx, chunks) = crossbeam_channel::bounded(CHANNEL_CAPACITY);
        // One more than can be in flight, so returning a buffer never blocks.
        let (recycle, recycled) = crossbeam_channel::bounded(CHANNEL_CAPACITY + 2);
        let reader = Reader {
            source,
            resampler,
            chunker: Chunker {
                chunk_len: options.chunk_len.max(1),
                current: Vec::with_capacity(options.chunk_len.max(1)),
                tx: chunk_tx,
                recycled,
                closed: false,
                pacer: options.pace.map(|p| Pacer::new(p, options.rate)),
            },
        };
        let reader = thread::Builder::new()
            .name("ringside-audio-reader".to_owned())
            .spawn(move || reader.run())
            .map_err(|e| {
                AudioError::new(
                    path,
                    AudioErrorKind::Internal(format!("cannot start the reader thread: {e}")),
                )
            })?;
        Ok(Self {
            path: path.to_path_buf(),
            info,
            resampled,
            chunks: Some(chunks),
            recycle,
            reader: Some(reader),
        })
    }

    /// The source's format as read from its header (before downmix and resampling).
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Whether the audio is resampled on its way to the consumer.
    pub fn is_resampled(&self) -> bool {
        self.resampled
    }

    /// Calls `f` with each chunk, in order, until the stream ends.
    ///
    /// Returns how much audio was delivered, or the decoding error that ended the stream
    /// early (the chunks before it have been delivered).
    pub fn for_each_chunk(self, mut f: impl FnMut(&[f32])) -> Result<StreamSummary, AudioError> {
        self.try_for_each_chunk(|chunk| {
            f(chunk);
            ControlFlow::Continue(())
        })
    }

    /// Like [`AudioStream::for_each_chunk`], but `f` may stop the replay early (the reader
    /// stops decoding); the summary then counts the chunks delivered up to that point.
    pub fn try_for_each_chunk(
        mut self,
        mut f: impl FnMut(&[f32]) -> ControlFlow<()>,
    ) -> Result<StreamSummary, AudioError> {
        let mut samples = 0u64;
        let mut failure = None;
        let chunks = self.chunks.take().into_iter().flat_map(|rx| rx.into_iter());
        for message in chunks {
            match message {
                Message::Chunk(chunk) => {
                    samples += chunk.len() as u64;
                    if f(&chunk).is_break() {
                        // Dropping `self` hangs up on the reader and joins it.
                        return Ok(StreamSummary { samples });
                    }
                    // The reader may have finished and dropped its end: then the buffer is
                    // simply freed.
                    let _ = self.recycle.try_send(chunk);
                }
                Message::Failed(kind) => {
                    failure = Some(kind);
                    break;
                }
            }
        }
        if let Some(kind) = failure.or_else(|| self.join()) {
            return Err(AudioError::new(&self.path, kind));
        }
        Ok(StreamSummary { samples })
    }

    /// Waits for the reader; reports it if it died.
    fn join(&mut self) -> Option<AudioErrorKind> {
        let handle = self.reader.take()?;
        handle.join().err().map(|panic| {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the reader thread panicked".to_owned());
            AudioErrorKind::Internal(msg)
        })
    }
}

impl Drop for AudioStream {
    fn drop(&mut self) {
        // Hanging up makes the reader's next (or current, blocked) send fail, so it stops
        // decoding instead of finishing a file nobody reads.
        drop(self.chunks.take());
        if let Some(handle) = self.reader.take() {
            let _ = handle.join();
        }
    }
}

/// The reader thread's state: decode → downmix → resample → cut into chunks.
struct Reader {
    source: Box<dyn AudioSource>,
    resampler: Resampler,
    chunker: Chunker,
}

impl Reader {
    fn run(mut self) {
        if let Err(kind) = self.pump() {
            self.chunker.fail(kind);
        }
    }

    fn pump(&mut self) -> Result<(), AudioErrorKind> {
        let channels = usize::from(self.source.info().channels.max(1));
        let mut interleaved = Vec::with_capacity(READ_FRAMES * channels);
        let mut mono = Vec::with_capacity(READ_FRAMES);
        let chunker = &mut self.chunker;
        loop {
            let frames = self.source.read_frames(&mut interleaved, READ_FRAMES)?;
            if frames == 0 {
                break;
            }
            downmix(&interleaved, channels, &mut mono);
            self.resampler
                .process(&mono, &mut |out| chunker.push(out))?;
            if chunker.closed {
                return Ok(());
            }
        }
        self.resampler.finish(&mut |out| chunker.push(out))?;
        chunker.flush();
        Ok(())
    }
}

/// Cuts a stream of samples into chunks of a fixed length and sends them.
struct Chunker {
    chunk_len: usize,
    current: Vec<f32>,
    tx: Sender<Message>,
    recycled: Receiver<Vec<f32>>,
    /// The consumer is gone: stop decoding.
    closed: bool,
    /// Holds chunks back to real time, when asked to.
    pacer: Option<Pacer>,
}

impl Chunker {
    fn push(&mut self, mut samples: &[f32]) {
        while !samples.is_empty() && !self.closed {
            let room = self.chunk_len - self.current.len();
            let take = room.min(samples.len());
            self.current.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.current.len() == self.chunk_len {
                self.send();
            }
        }
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.send();
        }
    }

    fn send(&mut self) {
        let mut next = self.recycled.try_recv().unwrap_or_default();
        next.clear();
        next.reserve(self.chunk_len);
        let full = std::mem::replace(&mut self.current, next);
        if let Some(pacer) = &mut self.pacer {
            let wait = pacer.delay(full.len(), Instant::now());
            if !wait.is_zero() {
                thread::sleep(wait);
            }
        }
        if self.tx.send(Message::Chunk(full)).is_err() {
            self.closed = true;
        }
    }

    fn fail(&mut self, kind: AudioErrorKind) {
        self.flush();
        let _ = self.tx.send(Message::Failed(kind));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{TempDir, sine, write_wav};

    fn collect(path: &Path, options: StreamOptions) -> Result<Vec<Vec<f32>>, AudioError> {
        let stream = AudioStream::open(path, options)?;
        let mut chunks = Vec::new();
        stream.for_each_chunk(|c| chunks.push(c.to_vec()))?;
        Ok(chunks)
    }

    fn kind_of(path: &Path) -> AudioErrorKind {
        match collect(path, StreamOptions::for_rate(8000)) {
            Err(e) => {
                assert_eq!(e.path, path, "the error names the file");
                e.kind
            }
            Ok(_) => panic!("{} was accepted", path.display()),
        }
    }

    #[test]
    fn cuts_into_fixed_chunks_and_keeps_every_sample() {
        let dir = TempDir::new();
        let path = dir.file("a.wav");
        let x = sine(1000.0, 8000, 1.234);
        write_wav(&path, 8000, 1, 16, false, &x);
        let chunks = collect(&path, StreamOptions::for_rate(8000)).unwrap();
        assert!(chunks[..chunks.len() - 1].iter().all(|c| c.len() == 800));
        let total: usize = chunks.iter().map(Vec::len).sum();
        assert_eq!(total, x.len());
    }

    #[test]
    fn stereo_44k_is_downmixed_and_resampled() {
        let dir = TempDir::new();
        let path = dir.file("st.wav");
        let x = sine(1000.0, 44_100, 1.0);
        write_wav(&path, 44_100, 2, 16, false, &x);
        let stream = AudioStream::open(&path, StreamOptions::for_rate(8000)).unwrap();
        assert!(stream.is_resampled());
        assert_eq!(stream.info().channels, 2);
        let mut y = Vec::new();
        stream.for_each_chunk(|c| y.extend_from_slice(c)).unwrap();
        assert_eq!(y.len(), 8000);
        // 1000 Hz at 8 kHz: one positive-going zero crossing every 8 samples.
        let mid = &y[2000..6000];
        let up = mid.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
        assert!((499..=501).contains(&up), "{up} crossings");
    }

    #[test]
    fn wideband_passes_through_for_a_16k_detector() {
        let dir = TempDir::new();
        let path = dir.file("w.wav");
        write_wav(&path, 16_000, 1, 16, false, &sine(300.0, 16_000, 0.5));
        let stream = AudioStream::open(&path, StreamOptions::for_rate(16_000)).unwrap();
        assert!(!stream.is_resampled());
        let down = AudioStream::open(&path, StreamOptions::for_rate(8000)).unwrap();
        assert!(down.is_resampled());
    }

    #[test]
    fn dropping_a_stream_early_stops_the_reader() {
        let dir = TempDir::new();
        let path = dir.file("long.wav");
        write_wav(&path, 8000, 1, 16, false, &sine(500.0, 8000, 30.0));
        let stream = AudioStream::open(&path, StreamOptions::for_rate(8000)).unwrap();
        drop(stream); // must not hang on the full channel
    }

    #[test]
    fn every_bad_input_has_its_own_error() {
        let dir = TempDir::new();
        let empty = dir.file("empty.wav");
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(kind_of(&empty), AudioErrorKind::EmptyFile));

        let text = dir.file("text.wav");
        std::fs::write(&text, "this is not audio\n").unwrap();
        assert!(matches!(kind_of(&text), AudioErrorKind::NotWav(_)));

        let flac = dir.file("x.flac");
        std::fs::write(&flac, b"fLaC\0\0\0\x22").unwrap();
        assert!(matches!(
            kind_of(&flac),
            AudioErrorKind::Decode { format: "FLAC", .. }
        ));

        let aiff = dir.file("x.aiff");
        std::fs::write(&aiff, b"FORM\0\0\0\x22AIFF").unwrap();
        assert!(matches!(
            kind_of(&aiff),
            AudioErrorKind::UnsupportedFormat("AIFF")
        ));

        let missing = dir.file("missing.wav");
        assert!(matches!(kind_of(&missing), AudioErrorKind::Io(_)));

        let cut = dir.file("cut.wav");
        write_wav(&cut, 8000, 1, 16, false, &sine(440.0, 8000, 0.5));
        let bytes = std::fs::read(&cut).unwrap();
        std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
        assert!(matches!(kind_of(&cut), AudioErrorKind::Truncated { .. }));

        let slow = dir.file("slow.wav");
        write_wav(&slow, 500, 1, 16, false, &[0.0; 10]);
        assert!(matches!(kind_of(&slow), AudioErrorKind::SampleRate(500)));

        let none = dir.file("none.wav");
        write_wav(&none, 8000, 1, 16, false, &[]);
        assert!(matches!(kind_of(&none), AudioErrorKind::NoSamples));
    }

    #[test]
    fn error_message_names_file_and_problem() {
        let dir = TempDir::new();
        let text = dir.file("notes.wav");
        std::fs::write(&text, "hello").unwrap();
        let Err(e) = AudioStream::open(&text, StreamOptions::for_rate(8000)) else {
            panic!("accepted");
        };
        let msg = e.to_string();
        assert!(
            msg.contains("notes.wav") && msg.contains("not a WAV file"),
            "{msg}"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Garbage after a valid-looking RIFF/WAVE start: an error or audio, never a panic.
        #[test]
        fn garbage_never_panics(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..200),
                                keep_fmt in proptest::bool::ANY) {
            let dir = TempDir::new();
            let path = dir.file("fuzz.wav");
            let mut bytes = b"RIFF\x24\0\0\0WAVE".to_vec();
            if keep_fmt {
                bytes.extend_from_slice(b"fmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\x80\x3e\0\0\x02\0\x10\0");
            }
            bytes.extend_from_slice(&tail);
            std::fs::write(&path, &bytes).unwrap();
            let _ = collect(&path, StreamOptions::for_rate(8000));
        }
    }
}
