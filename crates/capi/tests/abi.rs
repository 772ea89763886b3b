//! The C interface through its `extern "C"` functions, as a C program calls them: NULL
//! and bad arguments, validation, and on every 16-bit 8 kHz mono WAV fixture the same
//! events as the Rust detector fed the way `ringside detect` feeds it.
#![allow(clippy::unwrap_used)]
// Calling the C interface from Rust is what this test is for.
#![allow(unsafe_code)]

use std::ffi::{CStr, c_char};
use std::path::{Path, PathBuf};
use std::ptr;

use ringside::*;
use ringside_dsp::{Config, Detector};

/// A detector made through the C interface, freed on drop.
struct Handle(*mut RingsideDetector);

impl Handle {
    fn new(config: Option<&RingsideConfig>, rate: u32) -> Result<Self, Box<RingsideError>> {
        let mut error = std::mem::MaybeUninit::<RingsideError>::uninit();
        let config = config.map_or(ptr::null(), ptr::from_ref);
        // SAFETY: `config` is NULL or a live struct, `error` is writable.
        let det = unsafe { ringside_detector_new(config, rate, error.as_mut_ptr()) };
        // SAFETY: `ringside_detector_new` writes the record whether it fails or not.
        let error = unsafe { error.assume_init() };
        if det.is_null() {
            Err(Box::new(error))
        } else {
            assert_eq!(error.status, RingsideStatus::Ok);
            Ok(Self(det))
        }
    }

    fn process_i16(&self, samples: &[i16]) -> RingsideStatus {
        // SAFETY: a live detector and a live slice.
        unsafe { ringside_detector_process_i16(self.0, samples.as_ptr(), samples.len()) }
    }

    fn finish(&self) -> RingsideStatus {
        // SAFETY: a live detector.
        unsafe { ringside_detector_finish(self.0) }
    }

    fn drain(&self, into: &mut Vec<RingsideEvent>) {
        let mut event = std::mem::MaybeUninit::<RingsideEvent>::uninit();
        // SAFETY: a live detector; `event` is writable and read only after a `true`.
        while unsafe { ringside_detector_next_event(self.0, event.as_mut_ptr()) } {
            into.push(unsafe { event.assume_init() });
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: made by `ringside_detector_new`, freed once.
        unsafe { ringside_detector_free(self.0) };
    }
}

fn text(buf: &[c_char]) -> String {
    // SAFETY: the library always NUL-terminates its strings within the buffer.
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn static_text(p: *const c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: the library's strings are static and NUL-terminated.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
}

/// Runs `pcm` through the C interface in chunks of `chunk` samples.
fn events_through_c(pcm: &[i16], chunk: usize) -> Vec<RingsideEvent> {
    let det = Handle::new(None, 8000).unwrap_or_else(|e| panic!("{}", text(&e.message)));
    let mut events = Vec::new();
    for piece in pcm.chunks(chunk) {
        assert_eq!(det.process_i16(piece), RingsideStatus::Ok);
        det.drain(&mut events);
    }
    assert_eq!(det.finish(), RingsideStatus::Ok);
    det.drain(&mut events);
    events
}

/// The Rust detector, fed as `ringside detect` feeds it: samples scaled by 2^-15 (the WAV
/// decoder's scale), 100 ms chunks.
fn events_in_rust(pcm: &[i16]) -> Vec<RingsideEvent> {
    let mut det = Detector::new(Config::default()).unwrap();
    let audio: Vec<f32> = pcm.iter().map(|&s| f32::from(s) / 32768.0).collect();
    let mut events = Vec::new();
    for chunk in audio.chunks(800) {
        events.extend(det.process(chunk).iter().map(RingsideEvent::from));
    }
    events.extend(det.finish().iter().map(RingsideEvent::from));
    events
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every fixture that is a readable 16-bit 8 kHz mono PCM WAV, with its samples.
fn pcm_fixtures() -> Vec<(PathBuf, Vec<i16>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "wav") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&fixtures_dir(), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| {
            let reader = hound::WavReader::open(&path).ok()?;
            let spec = reader.spec();
            if spec.channels != 1
                || spec.sample_rate != 8000
                || spec.bits_per_sample != 16
                || spec.sample_format != hound::SampleFormat::Int
            {
                return None;
            }
            let pcm: Result<Vec<i16>, _> = reader.into_samples().collect();
            Some((path, pcm.ok()?))
        })
        .collect()
}

#[test]
fn every_pcm_fixture_gives_the_rust_detectors_events_whatever_the_chunk() {
    let fixtures = pcm_fixtures();
    // fixtures/*.wav (6 readable) and the speech clips.
    assert!(
        fixtures.len() >= 30,
        "only {} fixtures found",
        fixtures.len()
    );
    let mut verdicts = std::collections::HashSet::new();
    for (path, pcm) in &fixtures {
        let expected = events_in_rust(pcm);
        let verdict: Vec<_> = expected
            .iter()
            .filter(|e| e.kind == RingsideEventKind::Verdict)
            .collect();
        assert_eq!(verdict.len(), 1, "{}: {expected:?}", path.display());
        verdicts.insert(verdict[0].verdict as u32);
        // 20 ms (a media server's frame), 100 ms, and an odd size that splits every hop.
        for chunk in [160, 800, 37] {
            let got = events_through_c(pcm, chunk);
            assert_eq!(got, expected, "{} in chunks of {chunk}", path.display());
        }
    }
    // The fixtures cover humans, machines, fax and silence: the comparison saw them all.
    assert!(verdicts.len() >= 4, "{verdicts:?}");
}

#[test]
fn null_pointers_are_reported_never_followed() {
    // SAFETY: every pointer is NULL, which each function must accept.
    unsafe {
        assert_eq!(
            ringside_detector_process_i16(ptr::null_mut(), ptr::null(), 0),
            RingsideStatus::NullArgument
        );
        assert_eq!(
            ringside_detector_process_f32(ptr::null_mut(), ptr::null(), 10),
            RingsideStatus::NullArgument
        );
        assert_eq!(
            ringside_detector_finish(ptr::null_mut()),
            RingsideStatus::NullArgument
        );
        assert_eq!(
            ringside_detector_reset(ptr::null_mut()),
            RingsideStatus::NullArgument
        );
        assert!(!ringside_detector_next_event(
            ptr::null_mut(),
            ptr::null_mut()
        ));
        assert_eq!(ringside_detector_sample_rate(ptr::null()), 0);
        ringside_detector_free(ptr::null_mut());
        assert_eq!(
            ringside_config_validate(ptr::null(), 8000, ptr::null_mut()),
            RingsideStatus::NullArgument
        );
    }
    let det = Handle::new(None, 8000).unwrap();
    // SAFETY: a live detector; the sample and event pointers are NULL.
    unsafe {
        assert_eq!(
            ringside_detector_process_i16(det.0, ptr::null(), 160),
            RingsideStatus::NullArgument
        );
        // No samples: NULL is fine.
        assert_eq!(
            ringside_detector_process_i16(det.0, ptr::null(), 0),
            RingsideStatus::Ok
        );
        assert!(!ringside_detector_next_event(det.0, ptr::null_mut()));
    }
}

#[test]
fn misaligned_samples_are_refused() {
    let det = Handle::new(None, 8000).unwrap();
    let bytes = [0u8; 64];
    // An odd address cannot hold an int16_t.
    let odd = bytes
        .as_ptr()
        .wrapping_add(1 + bytes.as_ptr() as usize % 2)
        .cast::<i16>();
    // SAFETY: the pointer is refused before it is read.
    let status = unsafe { ringside_detector_process_i16(det.0, odd, 8) };
    assert_eq!(status, RingsideStatus::InvalidArgument);
    // SAFETY: as above: a count past the address space is refused before any read.
    let status = unsafe { ringside_detector_process_f32(det.0, [0f32].as_ptr(), usize::MAX) };
    assert_eq!(status, RingsideStatus::InvalidArgument);
}

#[test]
fn validation_names_the_field_and_the_value() {
    let mut config = ringside_config_default();
    config.greeting_timeout_ms = 1000;
    let mut error = std::mem::MaybeUninit::<RingsideError>::uninit();
    // SAFETY: live config, writable error.
    let status = unsafe { ringside_config_validate(&config, 8000, error.as_mut_ptr()) };
    // SAFETY: written by the call.
    let error = unsafe { error.assume_init() };
    assert_eq!(status, RingsideStatus::InvalidConfig);
    assert_eq!(error.status, status);
    assert_eq!(text(&error.field), "greeting_timeout_ms");
    assert_eq!(
        text(&error.message),
        "invalid detector setting `greeting_timeout_ms`: 1000 ms is shorter than \
         total_analysis_ms (10000 ms)"
    );

    let e = Handle::new(Some(&config), 8000).err().unwrap();
    assert_eq!(e.status, RingsideStatus::InvalidConfig);
    assert_eq!(text(&e.field), "greeting_timeout_ms");

    let e = Handle::new(None, 11_025).err().unwrap();
    assert_eq!(e.status, RingsideStatus::UnsupportedRate);
    assert_eq!(text(&e.field), "sample_rate_hz");
    assert_eq!(
        text(&e.message),
        "11025 Hz is not supported: use 8000 or 16000"
    );

    // Success clears a record that held an error.
    let mut record = *e;
    // SAFETY: live config, writable error.
    let status =
        unsafe { ringside_config_validate(&ringside_config_default(), 16_000, &mut record) };
    assert_eq!(status, RingsideStatus::Ok);
    assert_eq!(record.status, RingsideStatus::Ok);
    assert_eq!(text(&record.field), "");
    assert_eq!(text(&record.message), "");
}

#[test]
fn a_wideband_detector_runs_at_16_khz() {
    let det = Handle::new(None, 16_000).unwrap();
    // SAFETY: a live detector.
    assert_eq!(unsafe { ringside_detector_sample_rate(det.0) }, 16_000);
    let silence = vec![0i16; 16_000];
    let mut events = Vec::new();
    for _ in 0..7 {
        assert_eq!(det.process_i16(&silence), RingsideStatus::Ok);
        det.drain(&mut events);
    }
    let verdict = events
        .iter()
        .find(|e| e.kind == RingsideEventKind::Verdict)
        .unwrap();
    assert_eq!(verdict.verdict, RingsideVerdict::Silence);
    assert_eq!(verdict.cause, RingsideCause::InitialSilence);
    // 5 s of initial silence at 16 kHz.
    assert!((80_000..=81_600).contains(&verdict.at), "{verdict:?}");
}

#[test]
fn finish_then_reset_starts_a_new_stream() {
    let (_, pcm) = pcm_fixtures()
        .into_iter()
        .find(|(p, _)| p.ends_with("machine_beep.wav"))
        .unwrap();
    let det = Handle::new(None, 8000).unwrap();
    let mut first = Vec::new();
    assert_eq!(det.process_i16(&pcm), RingsideStatus::Ok);
    assert_eq!(det.finish(), RingsideStatus::Ok);
    assert_eq!(det.process_i16(&pcm[..80]), RingsideStatus::Finished);
    assert_eq!(det.finish(), RingsideStatus::Finished);
    det.drain(&mut first);
    // SAFETY: a live detector.
    assert_eq!(
        unsafe { ringside_detector_reset(det.0) },
        RingsideStatus::Ok
    );
    let mut second = Vec::new();
    assert_eq!(det.process_i16(&pcm), RingsideStatus::Ok);
    assert_eq!(det.finish(), RingsideStatus::Ok);
    det.drain(&mut second);
    assert_eq!(first, second);
    assert!(first.iter().any(|e| e.kind == RingsideEventKind::Beep));
}

/// Independent detectors on their own threads give what each gives alone.
#[test]
fn detectors_on_parallel_threads_do_not_interfere() {
    let fixtures: Vec<_> = pcm_fixtures().into_iter().take(8).collect();
    let alone: Vec<_> = fixtures
        .iter()
        .map(|(_, pcm)| events_through_c(pcm, 160))
        .collect();
    let parallel: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = fixtures
            .iter()
            .map(|(_, pcm)| s.spawn(move || events_through_c(pcm, 160)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(parallel, alone);
}

#[test]
fn every_code_has_a_name() {
    for code in 0..=6 {
        assert!(
            !static_text(ringside_status_text(code)).is_empty(),
            "{code}"
        );
    }
    assert_eq!(static_text(ringside_status_text(7)), "");
    assert_eq!(
        static_text(ringside_verdict_name(RingsideVerdict::Machine as u32)),
        "machine"
    );
    assert_eq!(
        static_text(ringside_cause_text(RingsideCause::BeepHeard as u32)),
        "beep heard"
    );
    assert_eq!(
        static_text(ringside_greeting_end_name(
            RingsideGreetingEnd::Silence as u32
        )),
        "silence"
    );
    assert_eq!(static_text(ringside_version()), env!("CARGO_PKG_VERSION"));
}
