//! Every format the decoders read gives the WAV's verdict and times: the detector's view
//! of `ringside_audio`'s promise that compressed audio keeps its timestamps.

use std::path::{Path, PathBuf};

use ringside_audio::Timing;
use ringside_dsp::Config;

use crate::replay::analyze_file;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name)
}

#[test]
fn every_format_gives_the_wav_verdict_and_beep_onset() {
    let config = Config::default();
    let wav = analyze_file(&fixture("machine_beep.wav"), &config).unwrap();
    let wav_beep = wav.beep.unwrap().start;
    for (file, format, codec) in [
        ("machine_beep.flac", "flac", "FLAC"),
        ("machine_beep.ogg", "ogg", "Vorbis"),
        ("machine_beep.mp3", "mp3", "MP3"),
        ("machine_beep.m4a", "m4a", "AAC"),
        ("machine_beep_ulaw.wav", "wav", "G.711 μ-law"),
        ("machine_beep_alaw.wav", "wav", "G.711 A-law"),
    ] {
        let a = analyze_file(&fixture(&format!("formats/{file}")), &config).unwrap();
        let info = a.source.as_ref().unwrap();
        assert_eq!(
            (info.format, info.encoding.codec_name()),
            (format, Some(codec))
        );
        assert_eq!((info.sample_rate, info.channels), (8000, 1), "{file}");
        assert_eq!(a.verdict, wav.verdict, "{file}");
        assert_eq!(a.cause, wav.cause, "{file}");
        // Encoder delay is removed (LAME header, MP4 edit list), so times are the WAV's.
        assert!(
            !matches!(info.timing, Timing::UnknownDelay { .. }),
            "{file}"
        );
        let onset = a.beep.unwrap().start;
        assert!(
            (onset - wav_beep).abs() <= 0.005,
            "{file}: beep at {onset:.4} s, WAV {wav_beep:.4} s"
        );
        assert!(
            (a.decided_at - wav.decided_at).abs() <= 0.025,
            "{file}: decided at {:.3}",
            a.decided_at
        );
    }
}
