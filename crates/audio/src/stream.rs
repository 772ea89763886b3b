//! Replaying a file like audio arriving on a live line.
//!
//! A reader thread decodes, downmixes and resamples the file and sends fixed-length
//! chunks of mono samples over a bounded channel; the consumer feeds them to the detector.
//! The bound (8 chunks) keeps memory constant however long the file is, and the split is
//! the shape a live call has: the detector never sees audio before it "arrives".
//!
//! Chunk buffers travel back to the reader over a second channel and are reused, so a
//! replay allocates a handful of buffers, not one per chunk.
//!
//! Batch work that already runs one file per core (`eval`, `bench`) asks for
//! [`Delivery::CallersThread`] instead: the same decoding and the same chunks, produced on
//! the consumer's thread as it asks for them. There a second thread per file would only
//! compete for the cores the other files' workers need, and `--threads N` would not mean N
//! busy threads.

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
    /// Where the file is decoded.
    pub delivery: Delivery,
}

/// Which thread decodes the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Delivery {
    /// A reader thread of its own, ahead of the consumer by at most the channel's capacity:
    /// the shape of a live line.
    #[default]
    ReaderThread,
    /// The consumer's thread, a chunk at a time as it drains the stream: for batch work
    /// that keeps every core busy with other files.
    CallersThread,
}

impl StreamOptions {
    /// Chunks of 100 ms at `rate`: ten detector hops, few enough messages to be cheap,
    /// short enough to pace like a live line.
    pub fn for_rate(rate: u32) -> Self {
        Self {
            rate,
            chunk_len: (rate as usize / 10).max(1),
            pace: None,
            delivery: Delivery::ReaderThread,
        }
    }

    /// The same options, decoded on the consumer's thread.
    pub fn on_callers_thread(self) -> Self {
        Self {
            delivery: Delivery::CallersThread,
            ..self
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
    source: Feed,
}

/// Where an [`AudioStream`]'s chunks come from.
#[derive(Debug)]
enum Feed {
    /// A reader thread, over a channel.
    Thread {
        /// `None` only while dropping.
        chunks: Option<Receiver<Message>>,
        recycle: Sender<Vec<f32>>,
        reader: Option<JoinHandle<()>>,
    },
    /// Decoded on demand on the consumer's thread (boxed: the resampler's state is large).
    Inline {
        decoder: Box<Decoder>,
        cutter: Cutter,
    },
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
        let decoder = Decoder { source, resampler };
        let chunk_len = options.chunk_len.max(1);
        let cutter = Cutter {
            chunk_len,
            current: Vec::with_capacity(chunk_len),
            pacer: options.pace.map(|p| Pacer::new(p, options.rate)),
        };
        let source = match options.delivery {
            Delivery::CallersThread => Feed::Inline {
                decoder: Box::new(decoder),
                cutter,
            },
            Delivery::ReaderThread => {
                let (chunk_tx, chunks) = crossbeam_channel::bounded(CHANNEL_CAPACITY);
                // One more than can be in flight, so returning a buffer never blocks.
                let (recycle, recycled) = crossbeam_channel::bounded(CHANNEL_CAPACITY + 2);
                let reader = Reader {
                    decoder,
                    cutter,
                    tx: chunk_tx,
                    recycled,
                };
                let reader = thread::Builder::new()
                    .name("ringside-audio-reader".to_owned())
                    .spawn(move || reader.run())
                    .map_err(|e| {
                        AudioError::new(
                            path,
                            AudioErrorKind::Internal(format!(
                                "cannot start the reader thread: {e}"
                            )),
                        )
                    })?;
                Feed::Thread {
                    chunks: Some(chunks),
                    recycle,
                    reader: Some(reader),
                }
            }
        };
        Ok(Self {
            path: path.to_path_buf(),
            info,
            resampled,
            source,
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
        let failure = match &mut self.source {
            Feed::Inline { decoder, cutter } => {
                let mut deliver = |chunk: &mut Vec<f32>| {
                    samples += chunk.len() as u64;
                    f(chunk)
                };
                let mut stopped = false;
                let result = decoder.pump(&mut |out| {
                    let flow = cutter.push(out, &mut deliver);
                    stopped = flow.is_break();
                    flow
                });
                // Like the reader thread: what was decoded before an error is delivered.
                if !stopped {
                    let _ = cutter.flush(&mut deliver);
                }
                result.err()
            }
            Feed::Thread {
                chunks, recycle, ..
            } => {
                let mut failure = None;
                for message in chunks.take().into_iter().flat_map(|rx| rx.into_iter()) {
                    match message {
                        Message::Chunk(chunk) => {
                            samples += chunk.len() as u64;
                            if f(&chunk).is_break() {
                                // Dropping `self` hangs up on the reader and joins it.
                                return Ok(StreamSummary { samples });
                            }
                            // The reader may have finished and dropped its end: then the
                            // buffer is simply freed.
                            let _ = recycle.try_send(chunk);
                        }
                        Message::Failed(kind) => {
                            failure = Some(kind);
                            break;
                        }
                    }
                }
                failure.or_else(|| self.join())
            }
        };
        if let Some(kind) = failure {
            return Err(AudioError::new(&self.path, kind));
        }
        Ok(StreamSummary { samples })
    }

    /// Waits for the reader; reports it if it died.
    fn join(&mut self) -> Option<AudioErrorKind> {
        let Feed::Thread { reader, .. } = &mut self.source else {
            return None;
        };
        let handle = reader.take()?;
        // The panic itself was reported by the panic hook; its text is not for the output.
        handle
            .join()
            .err()
            .map(|_| AudioErrorKind::Internal("the reader thread stopped unexpectedly".to_owned()))
    }
}

impl Drop for AudioStream {
    fn drop(&mut self) {
        if let Feed::Thread { chunks, reader, .. } = &mut self.source {
            // Hanging up makes the reader's next (or current, blocked) send fail, so it
            // stops decoding instead of finishing a file nobody reads.
            drop(chunks.take());
            if let Some(handle) = reader.take() {
                let _ = handle.join();
            }
        }
    }
}

/// Decode → downmix → resample.
struct Decoder {
    source: Box<dyn AudioSource>,
    resampler: Resampler,
}

impl std::fmt::Debug for Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decoder")
            .field("info", self.source.info())
            .finish()
    }
}

impl Decoder {
    /// Hands the whole file's output, in order, to `emit`, until it asks to stop.
    fn pump(
        &mut self,
        emit: &mut dyn FnMut(&[f32]) -> ControlFlow<()>,
    ) -> Result<(), AudioErrorKind> {
        let channels = usize::from(self.source.info().channels.max(1));
        let mut interleaved = Vec::with_capacity(READ_FRAMES * channels);
        let mut mono = Vec::with_capacity(READ_FRAMES);
        // Set once `emit` asks to stop; output after that is dropped.
        let stopped = std::cell::Cell::new(false);
        let mut gate = |out: &[f32]| {
            if !stopped.get() {
                stopped.set(emit(out).is_break());
            }
        };
        loop {
            let frames = self.source.read_frames(&mut interleaved, READ_FRAMES)?;
            if frames == 0 {
                break;
            }
            downmix(&interleaved, channels, &mut mono);
            self.resampler.process(&mono, &mut gate)?;
            if stopped.get() {
                return Ok(());
            }
        }
        self.resampler.finish(&mut gate)?;
        Ok(())
    }
}

/// Cuts a stream of samples into chunks of a fixed length.
#[derive(Debug)]
struct Cutter {
    chunk_len: usize,
    current: Vec<f32>,
    /// Holds chunks back to real time, when asked to.
    pacer: Option<Pacer>,
}

impl Cutter {
    /// Appends `samples`, handing each full chunk to `deliver` (which may keep the buffer
    /// and leave another in its place).
    fn push(
        &mut self,
        mut samples: &[f32],
        deliver: &mut dyn FnMut(&mut Vec<f32>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        while !samples.is_empty() {
            let room = self.chunk_len - self.current.len();
            let take = room.min(samples.len());
            self.current.extend_from_slice(&samples[..take]);
            samples = &samples[take..];
            if self.current.len() == self.chunk_len {
                self.deliver(deliver)?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Delivers the last, short chunk.
    fn flush(
        &mut self,
        deliver: &mut dyn FnMut(&mut Vec<f32>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if self.current.is_empty() {
            return ControlFlow::Continue(());
        }
        self.deliver(deliver)
    }

    fn deliver(
        &mut self,
        deliver: &mut dyn FnMut(&mut Vec<f32>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if let Some(pacer) = &mut self.pacer {
            let wait = pacer.delay(self.current.len(), Instant::now());
            if !wait.is_zero() {
                thread::sleep(wait);
            }
        }
        let flow = deliver(&mut self.current);
        self.current.clear();
        flow
    }
}

/// The reader thread's state: a decoder and a cutter whose chunks go over the channel.
struct Reader {
    decoder: Decoder,
    cutter: Cutter,
    tx: Sender<Message>,
    recycled: Receiver<Vec<f32>>,
}

impl Reader {
    fn run(self) {
        let Reader {
            mut decoder,
            mut cutter,
            tx,
            recycled,
        } = self;
        let chunk_len = cutter.chunk_len;
        // Sends the full buffer and leaves a recycled (or new) one in its place; a failed
        // send means the consumer hung up: stop decoding.
        let mut send = |chunk: &mut Vec<f32>| {
            let mut next = recycled.try_recv().unwrap_or_default();
            next.clear();
            next.reserve(chunk_len);
            let full = std::mem::replace(chunk, next);
            match tx.send(Message::Chunk(full)) {
                Ok(()) => ControlFlow::Continue(()),
                Err(_) => ControlFlow::Break(()),
            }
        };
        let result = decoder.pump(&mut |out| cutter.push(out, &mut send));
        if cutter.flush(&mut send).is_break() {
            return;
        }
        if let Err(kind) = result {
            let _ = tx.send(Message::Failed(kind));
        }
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

    /// The error reading `path` gives, the same whichever thread decodes it.
    fn kind_of(path: &Path) -> AudioErrorKind {
        let inline = collect(path, StreamOptions::for_rate(8000).on_callers_thread());
        match collect(path, StreamOptions::for_rate(8000)) {
            Err(e) => {
                assert_eq!(e.path, path, "the error names the file");
                let other = inline.expect_err("rejected by the reader thread only");
                assert_eq!(other.to_string(), e.to_string());
                e.kind
            }
            Ok(_) => panic!("{} was accepted", path.display()),
        }
    }

    #[test]
    fn callers_thread_delivers_the_same_chunks() {
        let dir = TempDir::new();
        let path = dir.file("st.wav");
        let x = sine(700.0, 44_100, 1.3);
        let stereo: Vec<f64> = x.iter().flat_map(|&v| [v, 0.5 * v]).collect();
        write_wav(&path, 44_100, 2, 16, false, &stereo);
        let options = StreamOptions::for_rate(8000);
        let threaded = collect(&path, options).unwrap();
        let inline = collect(&path, options.on_callers_thread()).unwrap();
        assert_eq!(threaded, inline);
    }

    #[test]
    fn callers_thread_stops_when_asked() {
        let dir = TempDir::new();
        let path = dir.file("long.wav");
        write_wav(&path, 8000, 1, 16, false, &sine(500.0, 8000, 30.0));
        let stream =
            AudioStream::open(&path, StreamOptions::for_rate(8000).on_callers_thread()).unwrap();
        let mut calls = 0;
        let summary = stream
            .try_for_each_chunk(|_| {
                calls += 1;
                if calls == 3 {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
            .unwrap();
        assert_eq!(calls, 3);
        assert_eq!(summary.samples, 2400);
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
        assert!(matches!(
            kind_of(&missing),
            AudioErrorKind::Input(crate::InputError::Io(_))
        ));

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
