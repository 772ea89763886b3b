//! Where the bytes of an input come from: a file, a pipe, a FIFO or standard input, opened
//! exactly once.
//!
//! The decoders look at an input more than once (the sniffer, the WAVE header walk, hound,
//! the MP4 edit list, rodio), so they each take an [`InputReader`]: an independent cursor
//! over one [`Input`]. Opening a path twice would read a pipe's bytes twice (the second
//! reader sees what the first left, or nothing), so nothing below this module opens a path
//! again.
//!
//! - A **regular file** stays on disk: the cursors share one open file and read at their
//!   own offsets, so a two-hour recording still streams in constant memory.
//! - A **pipe, FIFO, character device or standard input** (`-`) can be read only once and
//!   cannot seek, so it is read into memory once, up to [`MAX_STREAMED_BYTES`].
//! - A **FIFO that nobody writes to** would block `open(2)` forever. It is opened without
//!   blocking and given [`FIFO_WRITER_WAIT`] for a writer to appear; then it is refused
//!   with [`InputError::NoWriter`].
//! - **Standard input on a terminal** is refused rather than waited on.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The most that is read from a pipe or standard input: an hour of 48 kHz stereo 16-bit
/// PCM is 691 MB, a day of telephone audio (8 kHz, 16-bit) 1.4 GB; beyond this, write the
/// audio to a file, which streams from the disk in constant memory.
pub const MAX_STREAMED_BYTES: u64 = 1 << 30;

/// How long a FIFO is given for a writer to open it before it is reported.
pub const FIFO_WRITER_WAIT: Duration = Duration::from_secs(2);

/// The name under which standard input is given on the command line.
pub const STDIN_NAME: &str = "-";

/// Why an input could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The operating system refused to open or read it.
    #[error("cannot read the file: {0}")]
    Io(#[source] io::Error),
    /// A directory where a file was expected.
    #[error("is a directory, not a file")]
    Directory,
    /// A FIFO that no process opened for writing.
    #[error(
        "a FIFO with no writer: nothing opened it for writing within {} s \
         (start the program that writes to it first, or pass a regular file)",
        waited.as_secs()
    )]
    NoWriter {
        /// How long we waited.
        waited: Duration,
    },
    /// Standard input is a terminal, so there is no file to read from it.
    #[error("standard input is a terminal; pipe or redirect a file into it, e.g. `< call.wav`")]
    Terminal,
    /// More arrived through a pipe than is held in memory.
    #[error(
        "more than {} MiB arrived through the pipe; write it to a file first, which is read \
         from the disk instead of memory", limit >> 20
    )]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
}

/// One input, opened once; [`Input::reader`] hands out independent cursors over it.
#[derive(Debug, Clone)]
pub struct Input {
    name: PathBuf,
    backing: Arc<Backing>,
}

#[derive(Debug)]
enum Backing {
    /// A regular file: the cursors seek and read under the lock, each at its own offset.
    File { file: Mutex<File>, len: u64 },
    /// Bytes held in memory (a pipe's, or a body fetched over HTTP).
    Memory(Box<[u8]>),
}

impl Input {
    /// Opens `path`; `-` is standard input.
    pub fn open(path: &Path) -> Result<Self, InputError> {
        if path.as_os_str() == STDIN_NAME {
            return Self::stdin();
        }
        let file = open_without_blocking(path)?;
        let meta = file.metadata().map_err(InputError::Io)?;
        if meta.is_dir() {
            return Err(InputError::Directory);
        }
        if meta.is_file() {
            return Ok(Self::from_file(path, file, meta.len()));
        }
        let bytes = read_stream(file, is_fifo(&meta))?;
        Ok(Self::from_bytes(path, bytes))
    }

    /// Audio already in memory; `name` names it in errors (a URL, say).
    pub fn from_bytes(name: impl AsRef<Path>, bytes: Vec<u8>) -> Self {
        Self {
            name: name.as_ref().to_path_buf(),
            backing: Arc::new(Backing::Memory(bytes.into_boxed_slice())),
        }
    }

    fn from_file(name: &Path, file: File, len: u64) -> Self {
        Self {
            name: name.to_path_buf(),
            backing: Arc::new(Backing::File {
                file: Mutex::new(file),
                len,
            }),
        }
    }

    fn stdin() -> Result<Self, InputError> {
        let stdin = io::stdin();
        if stdin.is_terminal() {
            return Err(InputError::Terminal);
        }
        #[cfg(unix)]
        {
            let fd = std::os::fd::AsFd::as_fd(&stdin)
                .try_clone_to_owned()
                .map_err(InputError::Io)?;
            let file = File::from(fd);
            let meta = file.metadata().map_err(InputError::Io)?;
            if meta.is_file() {
                // `< call.wav`: the shell opened a regular file, which seeks like any other.
                return Ok(Self::from_file(Path::new(STDIN_NAME), file, meta.len()));
            }
            // A pipe the shell set up always has had a writer; its end of file is real.
            let bytes = read_stream(file, false)?;
            Ok(Self::from_bytes(STDIN_NAME, bytes))
        }
        #[cfg(not(unix))]
        {
            let mut bytes = Vec::new();
            stdin
                .lock()
                .take(MAX_STREAMED_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(InputError::Io)?;
            if bytes.len() as u64 > MAX_STREAMED_BYTES {
                return Err(InputError::TooLarge {
                    limit: MAX_STREAMED_BYTES,
                });
            }
            Ok(Self::from_bytes(STDIN_NAME, bytes))
        }
    }

    /// The name it was opened under, for messages.
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// Its length in bytes.
    pub fn len(&self) -> u64 {
        match &*self.backing {
            Backing::File { len, .. } => *len,
            Backing::Memory(bytes) => bytes.len() as u64,
        }
    }

    /// Whether it holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new cursor at its first byte.
    pub fn reader(&self) -> InputReader {
        InputReader {
            backing: Arc::clone(&self.backing),
            pos: 0,
        }
    }

    /// All of its bytes (for the JSON inputs: scenarios, manifests, phone books, recipes).
    pub fn to_bytes(&self) -> Result<Vec<u8>, InputError> {
        match &*self.backing {
            Backing::Memory(bytes) => Ok(bytes.to_vec()),
            Backing::File { .. } => {
                let mut out = Vec::new();
                self.reader()
                    .read_to_end(&mut out)
                    .map_err(InputError::Io)?;
                Ok(out)
            }
        }
    }
}

/// Reads the whole of `path` (a file, a pipe, a FIFO with a writer, or `-`) once.
pub fn read_input(path: &Path) -> Result<Vec<u8>, InputError> {
    Input::open(path)?.to_bytes()
}

/// Reads the whole of `path` (a file, a pipe, a FIFO with a writer, or `-`) as UTF-8 text,
/// dropping a leading byte-order mark (editors on Windows write one).
///
/// For the JSON inputs (scenarios, manifests, phone books, recipes), whose errors carry an
/// `io::Error`: an [`InputError`] is wrapped in one, and text that is not UTF-8 is an
/// `InvalidData` error that says so.
pub fn read_text(path: &Path) -> io::Result<String> {
    let bytes = read_input(path).map_err(|e| match e {
        InputError::Io(e) => e,
        other => io::Error::other(other),
    })?;
    text_of(bytes)
}

/// `bytes` as UTF-8 text without a leading byte-order mark.
pub fn text_of(mut bytes: Vec<u8>) -> io::Result<String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (byte {} is not part of a UTF-8 character)",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A cursor over an [`Input`]: `Read + Seek`, and `Send + Sync` for rodio.
#[derive(Debug, Clone)]
pub struct InputReader {
    backing: Arc<Backing>,
    pos: u64,
}

impl Read for InputReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = match &*self.backing {
            Backing::Memory(bytes) => {
                let start = usize::try_from(self.pos)
                    .unwrap_or(usize::MAX)
                    .min(bytes.len());
                let n = buf.len().min(bytes.len() - start);
                buf[..n].copy_from_slice(&bytes[start..start + n]);
                n
            }
            Backing::File { file, .. } => {
                // A poisoned lock only means another cursor panicked mid-read; the file
                // itself is fine, and every read seeks first.
                let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
                file.seek(SeekFrom::Start(self.pos))?;
                file.read(buf)?
            }
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for InputReader {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let len = match &*self.backing {
            Backing::File { len, .. } => *len,
            Backing::Memory(bytes) => bytes.len() as u64,
        };
        let target = match to {
            SeekFrom::Start(at) => Some(at),
            SeekFrom::End(delta) => len.checked_add_signed(delta),
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the first byte")
        })?;
        self.pos = target;
        Ok(target)
    }
}

/// Opens `path` for reading without waiting for a FIFO's writer (`O_NONBLOCK`), then puts
/// the descriptor back into blocking mode for everything but a FIFO (see [`read_stream`]).
fn open_without_blocking(path: &Path) -> Result<File, InputError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
            .open(path)
            .map_err(InputError::Io)?;
        let meta = file.metadata().map_err(InputError::Io)?;
        if !is_fifo(&meta) {
            set_blocking(&file)?;
        }
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        File::open(path).map_err(InputError::Io)
    }
}

#[cfg(unix)]
fn set_blocking(file: &File) -> Result<(), InputError> {
    use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
    let flags = fcntl_getfl(file).map_err(|e| InputError::Io(e.into()))?;
    fcntl_setfl(file, flags - OFlags::NONBLOCK).map_err(|e| InputError::Io(e.into()))
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type())
}

#[cfg(not(unix))]
fn is_fifo(_: &std::fs::Metadata) -> bool {
    false
}

/// Reads a stream to its end, at most [`MAX_STREAMED_BYTES`].
///
/// A FIFO opened without blocking reads as ended while no writer has it open, and as
/// "would block" once one does. So until the first byte (or the first "would block") an
/// end is only a missing writer, retried for [`FIFO_WRITER_WAIT`]; after that the
/// descriptor blocks again and an end is the real one.
fn read_stream(mut file: File, fifo: bool) -> Result<Vec<u8>, InputError> {
    let mut out = Vec::new();
    if fifo {
        let started = Instant::now();
        let mut first = [0u8; 8192];
        loop {
            match file.read(&mut first) {
                Ok(0) if started.elapsed() < FIFO_WRITER_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Ok(0) => {
                    return Err(InputError::NoWriter {
                        waited: FIFO_WRITER_WAIT,
                    });
                }
                Ok(n) => {
                    out.extend_from_slice(&first[..n]);
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(InputError::Io(e)),
            }
        }
        #[cfg(unix)]
        set_blocking(&file)?;
    }
    let limit = MAX_STREAMED_BYTES;
    let mut rest = (&mut file).take(limit + 1 - out.len() as u64);
    rest.read_to_end(&mut out).map_err(InputError::Io)?;
    if out.len() as u64 > limit {
        return Err(InputError::TooLarge { limit });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    #[test]
    fn cursors_over_a_file_are_independent() {
        let dir = TempDir::new();
        let path = dir.file("a.bin");
        std::fs::write(&path, b"0123456789").unwrap();
        let input = Input::open(&path).unwrap();
        assert_eq!(input.len(), 10);
        let (mut a, mut b) = (input.reader(), input.reader());
        let mut buf = [0u8; 4];
        a.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"0123");
        b.seek(SeekFrom::End(-3)).unwrap();
        b.read_exact(&mut buf[..3]).unwrap();
        assert_eq!(&buf[..3], b"789");
        a.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"4567");
        assert!(a.seek(SeekFrom::Current(-100)).is_err());
    }

    #[test]
    fn memory_reads_past_the_end_are_empty() {
        let input = Input::from_bytes("mem", b"abc".to_vec());
        let mut r = input.reader();
        r.seek(SeekFrom::Start(10)).unwrap();
        assert_eq!(r.read(&mut [0u8; 4]).unwrap(), 0);
        assert_eq!(input.to_bytes().unwrap(), b"abc");
    }

    #[test]
    fn text_loses_its_byte_order_mark_and_binary_is_named() {
        assert_eq!(text_of(b"\xEF\xBB\xBF[1]".to_vec()).unwrap(), "[1]");
        let e = text_of(b"RIFF\xff\xfe".to_vec()).unwrap_err();
        assert!(e.to_string().contains("not UTF-8 text"), "{e}");
    }

    #[test]
    fn a_directory_is_named_as_such() {
        let dir = TempDir::new();
        let e = Input::open(dir.path()).unwrap_err();
        assert!(matches!(e, InputError::Directory), "{e}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_without_a_writer_is_reported_not_waited_on() {
        let dir = TempDir::new();
        let path = dir.file("f");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        let started = Instant::now();
        let e = Input::open(&path).unwrap_err();
        assert!(matches!(e, InputError::NoWriter { .. }), "{e}");
        assert!(started.elapsed() < FIFO_WRITER_WAIT * 3);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_with_a_writer_is_read_whole() {
        let dir = TempDir::new();
        let path = dir.file("f");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .unwrap()
                .success()
        );
        let writer_path = path.clone();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(writer_path)
                .unwrap();
            f.write_all(&vec![7u8; 200_000]).unwrap();
        });
        let bytes = read_input(&path).unwrap();
        writer.join().unwrap();
        assert_eq!(bytes.len(), 200_000);
    }
}
