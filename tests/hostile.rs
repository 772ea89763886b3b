//! Hostile inputs, as a table: every way a user (or an attacker) can hand ringside a bad
//! file, a bad manifest, a bad request, and what must come back.
//!
//! Each CLI row runs the real binary and asserts the exit status and that the output (stdout
//! and stderr together) holds every `says` fragment: the file or field, and the problem.
//! Every row also asserts what must never appear: a panic, a backtrace, ANSI colour codes,
//! or the bytes of a file that is not audio. Each HTTP row sends one request to a real
//! server and asserts the status and fragments of the RestException.
//!
//! To add a case, add a row; `prepare` makes the files the rows name (`$D/…` is the
//! scratch folder).

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::server::{self, Api, SID_A, SID_B, TOKEN_A};
use crate::util::{root, scratch};

/// One run of the binary.
struct Cli {
    name: &'static str,
    args: &'static [&'static str],
    /// A file (under `$D` or the root) piped into standard input.
    stdin: Option<&'static str>,
    exit: i32,
    says: &'static [&'static str],
}

const fn cli(
    name: &'static str,
    args: &'static [&'static str],
    exit: i32,
    says: &'static [&'static str],
) -> Cli {
    Cli {
        name,
        args,
        stdin: None,
        exit,
        says,
    }
}

const fn piped(
    name: &'static str,
    args: &'static [&'static str],
    stdin: &'static str,
    exit: i32,
    says: &'static [&'static str],
) -> Cli {
    Cli {
        name,
        args,
        stdin: Some(stdin),
        exit,
        says,
    }
}

/// The first bytes of the file the secret-echo rows point at: they must never be printed.
const SECRET: &str = "root:$y$j9T$hostile-secret";

#[rustfmt::skip]
const CLI_CASES: &[Cli] = &[
    // ---- detect: damaged and impossible audio
    cli("g711 0 Hz rate", &["detect", "$D/ulaw0.wav"], 2, &["ulaw0.wav", "sample rate 0 Hz"]),
    cli("65535 channels", &["detect", "$D/ch65535.wav"], 2, &["ch65535.wav", "channel count 65535"]),
    cli("0 channels", &["detect", "$D/ch0.wav"], 2, &["ch0.wav", "channel count 0"]),
    cli("g711 16-bit", &["detect", "$D/ulaw16.wav"], 2, &["ulaw16.wav", "G.711 samples are 8 bits"]),
    cli("block align 0", &["detect", "$D/ba0.wav"], 2, &["ba0.wav", "block of 0 bytes"]),
    cli("rate 500 Hz", &["detect", "$D/rate500.wav"], 2, &["rate500.wav", "sample rate 500 Hz"]),
    cli("ADPCM", &["detect", "$D/adpcm.wav"], 2, &["adpcm.wav", "unsupported WAV encoding", "ADPCM"]),
    cli("GSM 6.10 WAV", &["detect", "$D/gsm.wav"], 2, &["gsm.wav", "unsupported WAV encoding", "GSM 6.10"]),
    cli("half an Ogg", &["detect", "$D/half.ogg"], 2, &["half.ogg", "truncated", "Ogg page"]),
    cli("half an M4A", &["detect", "$D/half.m4a"], 2, &["half.m4a", "truncated", "MP4 box"]),
    cli("half a FLAC", &["detect", "$D/half.flac"], 2, &["half.flac", "truncated"]),
    cli("cut PCM WAV", &["detect", "fixtures/bad_truncated.wav"], 2, &["bad_truncated.wav", "truncated"]),
    cli("cut G.711 WAV", &["detect", "$D/cut_ulaw.wav"], 2, &["cut_ulaw.wav", "truncated"]),
    cli("empty file", &["detect", "fixtures/bad_empty.wav"], 2, &["bad_empty.wav", "empty"]),
    cli("text named .wav", &["detect", "fixtures/bad_text.wav"], 2, &["bad_text.wav", "not a WAV file", "text"]),
    cli("secret text", &["detect", "$D/secret.txt"], 2, &["secret.txt", "it holds text, not audio"]),
    cli("gzip", &["detect", "$D/data.gz"], 2, &["data.gz", "gzip"]),
    cli("AIFF", &["detect", "$D/a.aiff"], 2, &["a.aiff", "AIFF files are not supported"]),
    cli("RF64", &["detect", "$D/a.rf64"], 2, &["a.rf64", "RF64"]),
    cli("garbage after OggS", &["detect", "$D/garbage.ogg"], 2, &["garbage.ogg", "cannot decode this Vorbis file"]),
    cli("garbage after fLaC", &["detect", "$D/garbage.flac"], 2, &["garbage.flac", "cannot decode this FLAC file"]),
    cli("RIFF not WAVE", &["detect", "$D/avi.wav"], 2, &["avi.wav", "not of type WAVE"]),
    cli("missing file", &["detect", "$D/nope.wav"], 2, &["nope.wav", "No such file"]),
    cli("a directory", &["detect", "$D/folder"], 2, &["folder", "is a directory"]),
    cli("FIFO without a writer", &["detect", "$D/fifo"], 2, &["fifo", "a FIFO with no writer"]),
    cli("one bad among good", &["detect", "fixtures/machine_beep.wav", "$D/ulaw0.wav"], 2, &["machine_beep.wav: machine", "ulaw0.wav"]),
    cli("json error record", &["detect", "--json", "$D/ch65535.wav"], 2, &["\"file\"", "ch65535.wav", "channel count 65535"]),
    // ---- detect: inputs that are fine, from wherever they come
    piped("WAV from a pipe on -", &["detect", "-"], "fixtures/machine_beep.wav", 0, &["-: machine"]),
    piped("WAV from /dev/stdin", &["detect", "/dev/stdin"], "fixtures/machine_beep.wav", 0, &["/dev/stdin: machine"]),
    piped("M4A from a pipe", &["detect", "-"], "fixtures/formats/machine_beep.m4a", 0, &["-: machine"]),
    piped("text from a pipe", &["detect", "-"], "$D/secret.txt", 2, &["-: not a WAV file", "text"]),
    piped("nothing from a pipe", &["detect", "-"], "fixtures/bad_empty.wav", 2, &["-: the file is empty"]),
    // ---- detect: where the output goes
    cli("plot into a missing folder", &["detect", "--plot", "$D/no/such/dir/x.png", "fixtures/machine_beep.wav", ], 2, &["machine_beep.wav: machine", "the folder", "no/such/dir", "does not exist", ]),
    cli("plot of an unknown format", &["detect", "--plot", "$D/x.bmp", "fixtures/machine_beep.wav"], 2, &["x.bmp", "unknown picture format"]),
    // ---- eval: manifests
    cli("manifest is a WAV", &["eval", "fixtures/machine_beep.wav"], 2, &["machine_beep.wav", "WAV audio, not a manifest", "ringside detect", ]),
    cli("manifest points at a secret", &["eval", "$D/secret_manifest.json"], 2, &["secret.txt", "it holds text, not audio"]),
    cli("integer label", &["eval", "$D/int_label.json"], 2, &["int_label.json", "entry 1", "field `label`", "the number 1"]),
    cli("unknown label", &["eval", "$D/robot_label.json"], 2, &["robot_label.json", "field `label`", "\"robot\""]),
    cli("missing label", &["eval", "$D/no_label.json"], 2, &["no_label.json", "field `label`", "missing"]),
    cli("file as a number", &["eval", "$D/file_number.json"], 2, &["file_number.json", "field `file`", "the number 7"]),
    cli("beep_at as text", &["eval", "$D/beep_text.json"], 2, &["beep_text.json", "field `beep_at`", "\"soon\""]),
    cli("entry not an object", &["eval", "$D/not_object.json"], 2, &["not_object.json", "entry 1", "not an object"]),
    cli("manifest not an array", &["eval", "$D/object.json"], 2, &["object.json", "not a valid manifest", "expected a sequence"]),
    cli("manifest empty array", &["eval", "$D/empty_list.json"], 2, &["empty_list.json", "lists no files"]),
    cli("manifest not JSON", &["eval", "$D/broken.json"], 2, &["broken.json", "not a valid manifest"]),
    cli("manifest with a BOM", &["eval", "$D/bom.json"], 0, &["1 files, 1 analysed, 0 unreadable"]),
    cli("manifest missing", &["eval", "$D/none.json"], 2, &["none.json", "cannot read the manifest", "No such file"]),
    cli("manifest is a folder", &["eval", "$D/folder"], 2, &["folder", "is a directory"]),
    cli("manifest FIFO without a writer", &["eval", "$D/fifo"], 2, &["fifo", "a FIFO with no writer"]),
    cli("manifest names a missing file", &["eval", "$D/missing_audio.json"], 2, &["unreadable files", "gone.wav", "No such file"]),
    piped("manifest from a pipe", &["eval", "-"], "$D/bom_abs.json", 0, &["1 files, 1 analysed"]),
    // ---- scenario
    cli("scenario missing", &["scenario", "$D/none.json"], 2, &["none.json", "No such file"]),
    cli("scenario not JSON", &["scenario", "$D/broken.json"], 2, &["broken.json"]),
    cli("scenario FIFO without a writer", &["scenario", "$D/fifo"], 2, &["fifo", "a FIFO with no writer"]),
    cli("scenario wrong type", &["scenario", "$D/scenario_bad_type.json"], 2, &["scenario_bad_type.json", "invalid type", "\"long\""]),
    cli("scenario is a WAV", &["scenario", "fixtures/machine_beep.wav"], 2, &["machine_beep.wav", "not UTF-8 text"]),
    cli("scenario with a BOM", &["scenario", "$D/busy_bom.json"], 0, &["1 passed"]),
    // ---- synth
    cli("recipe missing", &["synth", "--out", "$D/synth1", "$D/none.json"], 2, &["none.json", "No such file"]),
    cli("recipe not JSON", &["synth", "--out", "$D/synth2", "$D/broken.json"], 2, &["broken.json", "not valid JSON"]),
    cli("recipe FIFO without a writer", &["synth", "--out", "$D/synth3", "$D/fifo"], 2, &["fifo", "a FIFO with no writer"]),
    cli("recipe unknown answer", &["synth", "--out", "$D/synth4", "$D/recipe_bad.json"], 2, &["recipe_bad.json", "answer"]),
    cli("synth count 0", &["synth", "--count", "0", "--out", "$D/synth5", "fixtures/recipes/fax_cng.json", ], 2, &["--count", "0"]),
    cli("synth out is a file", &["synth", "--count", "1", "--out", "$D/secret.txt", "fixtures/recipes/fax_cng.json", ], 2, &["secret.txt"]),
    // ---- bench
    cli("bench missing file", &["bench", "--rounds", "1", "$D/nope.wav"], 2, &["nope.wav", "No such file"]),
    cli("bench not audio", &["bench", "--rounds", "1", "$D/secret.txt"], 2, &["secret.txt", "text, not audio"]),
    cli("bench bad manifest", &["bench", "--rounds", "1", "$D/int_label.json"], 2, &["int_label.json", "field `label`"]),
    cli("bench 0 threads", &["bench", "--threads", "0", "fixtures/machine_beep.wav"], 2, &["--threads", "0"]),
    cli("bench 0 rounds", &["bench", "--rounds", "0", "fixtures/machine_beep.wav"], 2, &["--rounds", "0"]),
    cli("bench 65535 channels", &["bench", "--rounds", "1", "$D/ch65535.wav"], 2, &["ch65535.wav", "channel count 65535"]),
];

/// Fragments that no output may ever hold.
fn never(out: &str) -> Option<&'static str> {
    [
        "panicked",
        "RUST_BACKTRACE",
        "stack backtrace",
        "\x1b[",
        SECRET,
        "root:",
    ]
    .into_iter()
    .find(|bad| out.contains(bad))
}

#[test]
fn cli_table() {
    let dir = scratch("hostile_cli");
    prepare(&dir);
    let d = dir.to_str().unwrap();
    let failures: Vec<String> = std::thread::scope(|s| {
        let workers: Vec<_> = CLI_CASES
            .chunks(CLI_CASES.len().div_ceil(4))
            .map(|rows| s.spawn(move || rows.iter().filter_map(|row| run_cli(row, d)).collect()))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec!["a worker panicked".into()])
            })
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n\n{}",
        failures.len(),
        CLI_CASES.len(),
        failures.join("\n\n")
    );
}

/// Runs one row; the failure, if any, described.
fn run_cli(row: &Cli, d: &str) -> Option<String> {
    let args: Vec<String> = row.args.iter().map(|a| a.replace("$D", d)).collect();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ringside"));
    cmd.args(&args)
        .current_dir(root())
        .env_remove("RUST_LOG")
        // A backtrace would be printed if anything still panicked.
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    if row.stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    let feeder = row.stdin.map(|file| {
        let bytes = std::fs::read(root().join(file.replace("$D", d))).unwrap();
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&bytes);
        })
    });
    let out = child.wait_with_output().unwrap();
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut wrong = Vec::new();
    if out.status.code() != Some(row.exit) {
        wrong.push(format!("exit {:?}, wanted {}", out.status.code(), row.exit));
    }
    for want in row.says {
        if !text.contains(want) {
            wrong.push(format!("does not say {want:?}"));
        }
    }
    if let Some(bad) = never(&text) {
        wrong.push(format!("says {bad:?}"));
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "[{}] ringside {}: {}\n{}",
            row.name,
            args.join(" "),
            wrong.join("; "),
            text.trim_end()
        )
    })
}

/// Makes every file the rows name.
fn prepare(dir: &Path) {
    let fixture = |name: &str| std::fs::read(root().join("fixtures").join(name)).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let patched = |name: &str, at: usize, value: &[u8]| {
        let mut b = fixture("formats/machine_beep_ulaw.wav");
        b[at..at + value.len()].copy_from_slice(value);
        write(name, &b);
    };
    // The μ-law fixture's fmt chunk: channels at 22, rate at 24, block align 32, bits 34.
    patched("ulaw0.wav", 24, &0u32.to_le_bytes());
    patched("ch0.wav", 22, &0u16.to_le_bytes());
    patched("ulaw16.wav", 34, &16u16.to_le_bytes());
    patched("ba0.wav", 32, &0u16.to_le_bytes());
    write(
        "ch65535.wav",
        &pcm_wav(1, 65535, 8000, 8, 65535, &[0x80; 3 * 65535]),
    );
    write("rate500.wav", &pcm_wav(1, 1, 500, 16, 2, &[0; 2000]));
    write("adpcm.wav", &pcm_wav(2, 1, 8000, 4, 256, &[0; 1024]));
    write("gsm.wav", &pcm_wav(0x31, 1, 8000, 0, 65, &[0; 650]));
    write("gsm.wav", &pcm_wav(0x31, 1, 8000, 0, 65, &[0; 650]));
    let ulaw = fixture("formats/machine_beep_ulaw.wav");
    write("cut_ulaw.wav", &ulaw[..ulaw.len() - 1000]);
    for (name, source) in [
        ("half.ogg", "formats/machine_beep.ogg"),
        ("half.m4a", "formats/machine_beep.m4a"),
        ("half.flac", "formats/machine_beep.flac"),
    ] {
        let b = fixture(source);
        write(name, &b[..b.len() / 2]);
    }
    write(
        "secret.txt",
        format!("{SECRET}:19000:0:99999:7:::\n").as_bytes(),
    );
    write("data.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03");
    write("a.aiff", b"FORM\0\0\0\x20AIFFCOMM");
    write("a.rf64", b"RF64\xff\xff\xff\xffWAVEds64");
    write("avi.wav", b"RIFF\x10\0\0\0AVI LIST\0\0\0\0");
    let noise: Vec<u8> = (0..3000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write("garbage.ogg", &[&b"OggS\0\x02"[..], &noise].concat());
    write("garbage.flac", &[&b"fLaC"[..], &noise].concat());
    std::fs::create_dir_all(dir.join("folder")).unwrap();
    let fifo = dir.join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");

    let beep = root().join("fixtures/machine_beep.wav");
    let beep = beep.to_str().unwrap();
    let secret = dir.join("secret.txt");
    let manifests: &[(&str, String)] = &[
        (
            "secret_manifest.json",
            format!(r#"[{{"file": "{}", "label": "human"}}]"#, secret.display()),
        ),
        (
            "int_label.json",
            r#"[{"file": "a.wav", "label": 1}]"#.into(),
        ),
        (
            "robot_label.json",
            r#"[{"file": "a.wav", "label": "robot"}]"#.into(),
        ),
        ("no_label.json", r#"[{"file": "a.wav"}]"#.into()),
        (
            "file_number.json",
            r#"[{"file": 7, "label": "human"}]"#.into(),
        ),
        (
            "beep_text.json",
            r#"[{"file": "a.wav", "label": "machine", "beep_at": "soon"}]"#.into(),
        ),
        ("not_object.json", r#"["a.wav"]"#.into()),
        (
            "object.json",
            r#"{"file": "a.wav", "label": "human"}"#.into(),
        ),
        ("empty_list.json", "[]".into()),
        ("broken.json", r#"[{"file": "a.wav", "#.into()),
        (
            "bom.json",
            format!("\u{feff}[{{\"file\": \"{beep}\", \"label\": \"machine\"}}]"),
        ),
        (
            "bom_abs.json",
            format!("\u{feff}[{{\"file\": \"{beep}\", \"label\": \"machine\"}}]"),
        ),
        (
            "missing_audio.json",
            r#"[{"file": "gone.wav", "label": "human"}]"#.into(),
        ),
        (
            "scenario_bad_type.json",
            r#"{"request": {"Caller": "4158675309", "Called": "415-555-0103",
                "Url": "http://app.example/call"}, "max_secs": "long"}"#
                .into(),
        ),
        (
            "recipe_bad.json",
            r#"{"name": "x", "answer": {"kind": "robot"}}"#.into(),
        ),
    ];
    for (name, text) in manifests {
        write(name, text.as_bytes());
    }
    // A committed scenario with a byte-order mark, pointed at the committed phone book.
    let busy = std::fs::read_to_string(root().join("fixtures/scenarios/busy.json")).unwrap();
    let book = root().join("fixtures/phonebook.json");
    let busy = busy.replacen('{', &format!("{{\"phonebook\": {:?},", book.display()), 1);
    write("busy_bom.json", format!("\u{feff}{busy}").as_bytes());
}

/// A WAVE file with a 16-byte `fmt ` chunk holding exactly these numbers.
fn pcm_wav(tag: u16, channels: u16, rate: u32, bits: u16, block: u16, data: &[u8]) -> Vec<u8> {
    let mut fmt = Vec::new();
    fmt.extend_from_slice(&tag.to_le_bytes());
    fmt.extend_from_slice(&channels.to_le_bytes());
    fmt.extend_from_slice(&rate.to_le_bytes());
    fmt.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
    fmt.extend_from_slice(&block.to_le_bytes());
    fmt.extend_from_slice(&bits.to_le_bytes());
    let mut body = b"WAVEfmt ".to_vec();
    body.extend_from_slice(&16u32.to_le_bytes());
    body.extend_from_slice(&fmt);
    body.extend_from_slice(b"data");
    body.extend_from_slice(&(data.len() as u32).to_le_bytes());
    body.extend_from_slice(data);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// One request to the server.
struct Http {
    name: &'static str,
    method: &'static str,
    /// Under `/2008-08-01/Accounts/`; `$A` is account A's sid.
    path: &'static str,
    auth: Auth,
    body: Body,
    status: u16,
    says: &'static [&'static str],
}

#[derive(Clone, Copy)]
enum Auth {
    A,
    None,
    WrongToken,
    /// Account B's sid with account A's token.
    OtherAccount,
}

#[derive(Clone, Copy)]
enum Body {
    Empty,
    Form(&'static str),
    /// `n` bytes of `b`.
    Repeat(u8, usize),
    /// A body announced as `n` bytes, of which only the first 64 KiB are sent before the
    /// answer is read: the server refuses it from its `Content-Length` alone, and a client
    /// still writing when it closes the connection would see a broken pipe, not the 413.
    Announced(usize),
}

const CALL: &str = "Caller=4158675309&Called=415-555-0100&Url=http://127.0.0.1:9/app";

#[rustfmt::skip]
const HTTP_CASES: &[Http] = &[
    Http { name: "no credentials", method: "GET", path: "$A/Calls", auth: Auth::None, body: Body::Empty, status: 401, says: &["RestException"] },
    Http { name: "wrong token", method: "GET", path: "$A/Calls", auth: Auth::WrongToken, body: Body::Empty, status: 401, says: &["RestException"] },
    Http { name: "another account's path", method: "GET", path: "$B/Calls", auth: Auth::OtherAccount, body: Body::Empty, status: 401, says: &["RestException"] },
    Http { name: "missing Caller", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form("Called=415-555-0100&Url=http://127.0.0.1:9/app"), status: 400, says: &["Caller"] },
    Http { name: "missing Called", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form("Caller=4158675309&Url=http://127.0.0.1:9/app"), status: 400, says: &["Called"] },
    Http { name: "missing Url", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form("Caller=4158675309&Called=415-555-0100"), status: 400, says: &["Url"] },
    Http { name: "Url not http", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form("Caller=4158675309&Called=415-555-0100&Url=ftp://x/y"), status: 400, says: &["Url"] },
    Http { name: "Called not a number", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form("Caller=4158675309&Called=hello&Url=http://127.0.0.1:9/app"), status: 400, says: &["Called"] },
    Http { name: "bad Method", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form( "Caller=4158675309&Called=415-555-0100&Url=http://127.0.0.1:9/app&Method=PUT", ), status: 400, says: &["Method"] },
    Http { name: "bad Timeout", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form( "Caller=4158675309&Called=415-555-0100&Url=http://127.0.0.1:9/app&Timeout=soon", ), status: 400, says: &["Timeout"] },
    Http { name: "bad IfMachine", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form( "Caller=4158675309&Called=415-555-0100&Url=http://127.0.0.1:9/app&IfMachine=Maybe", ), status: 400, says: &["IfMachine"] },
    Http { name: "bad SendDigits", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form( "Caller=4158675309&Called=415-555-0100&Url=http://127.0.0.1:9/app&SendDigits=12x", ), status: 400, says: &["SendDigits"] },
    Http { name: "body not a form", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Repeat(0xff, 64), status: 400, says: &["RestException"] },
    Http { name: "oversized body", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Announced(4 << 20), status: 413, says: &[] },
    Http { name: "unknown call sid", method: "GET", path: "$A/Calls/CA00000000000000000000000000000000", auth: Auth::A, body: Body::Empty, status: 404, says: &["RestException"] },
    Http { name: "malformed call sid", method: "GET", path: "$A/Calls/not-a-sid", auth: Auth::A, body: Body::Empty, status: 404, says: &["RestException"] },
    Http { name: "recordings of an unknown call", method: "GET", path: "$A/Calls/CA00000000000000000000000000000000/Recordings", auth: Auth::A, body: Body::Empty, status: 404, says: &["RestException"] },
    Http { name: "unknown recording", method: "GET", path: "$A/Recordings/RE00000000000000000000000000000000", auth: Auth::A, body: Body::Empty, status: 404, says: &["RestException"] },
    Http { name: "negative page", method: "GET", path: "$A/Calls?page=-1", auth: Auth::A, body: Body::Empty, status: 400, says: &["page", "-1"] },
    Http { name: "page size not a number", method: "GET", path: "$A/Calls?num=abc", auth: Auth::A, body: Body::Empty, status: 400, says: &["num", "abc"] },
    Http { name: "page size 0", method: "GET", path: "$A/Calls?num=0", auth: Auth::A, body: Body::Empty, status: 400, says: &["num"] },
    Http { name: "bad Status filter", method: "GET", path: "$A/Calls?Status=9", auth: Auth::A, body: Body::Empty, status: 400, says: &["Status", "9"] },
    Http { name: "bad StartTime filter", method: "GET", path: "$A/Calls?StartTime=yesterday", auth: Auth::A, body: Body::Empty, status: 400, says: &["StartTime", "yesterday", "YYYY-MM-DD"] },
    Http { name: "bad Called filter", method: "GET", path: "$A/Calls?Called=hello", auth: Auth::A, body: Body::Empty, status: 400, says: &["Called", "hello"] },
    Http { name: "unknown resource", method: "GET", path: "$A/Nothing", auth: Auth::A, body: Body::Empty, status: 404, says: &["RestException"] },
    Http { name: "wrong method on Calls", method: "DELETE", path: "$A/Calls", auth: Auth::A, body: Body::Empty, status: 405, says: &["RestException"] },
    Http { name: "a good create still works", method: "POST", path: "$A/Calls", auth: Auth::A, body: Body::Form(CALL), status: 201, says: &["<Sid>CA"] },
];

/// POSTs account A's request to `url` over a raw connection, announcing `n` bytes but
/// sending only the first 64 KiB, and reads the answer: (status, whole response text).
async fn announced(url: &str, n: usize) -> (u16, String) {
    use base64::Engine as _;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut tcp = tokio::net::TcpStream::connect(authority).await.unwrap();
    let auth = base64::prelude::BASE64_STANDARD.encode(format!("{SID_A}:{TOKEN_A}"));
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Basic {auth}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {n}\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let _ = tcp.write_all(&vec![b'a'; 64 << 10]).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        tcp.read_to_end(&mut answer),
    );
    let _ = read.await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_table() {
    let running = server::start().await;
    let api = Api::new(&running);
    let mut failures = Vec::new();
    for row in HTTP_CASES {
        let path = row.path.replace("$A", SID_A).replace("$B", SID_B);
        let url = format!("{}/2008-08-01/Accounts/{path}", api.base);
        let method = reqwest::Method::from_bytes(row.method.as_bytes()).unwrap();
        let mut req = api.http.request(method, &url);
        req = match row.auth {
            Auth::A => req.basic_auth(SID_A, Some(TOKEN_A)),
            Auth::None => req,
            Auth::WrongToken => req.basic_auth(SID_A, Some("not-the-token")),
            Auth::OtherAccount => req.basic_auth(SID_B, Some(TOKEN_A)),
        };
        req = match row.body {
            Body::Empty => req,
            Body::Form(form) => req
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(form),
            Body::Repeat(b, n) => req
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(vec![b; n]),
            Body::Announced(_) => req,
        };
        let (status, body) = match row.body {
            Body::Announced(n) => announced(&url, n).await,
            _ => match req.send().await {
                Ok(r) => (r.status().as_u16(), r.text().await.unwrap_or_default()),
                Err(e) => (0, format!("request failed: {e}")),
            },
        };
        let mut wrong = Vec::new();
        if status != row.status {
            wrong.push(format!("status {status}, wanted {}", row.status));
        }
        for want in row.says {
            if !body.contains(want) {
                wrong.push(format!("does not say {want:?}"));
            }
        }
        if let Some(bad) = never(&body) {
            wrong.push(format!("says {bad:?}"));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "[{}] {} {path}: {}\n{body}",
                row.name,
                row.method,
                wrong.join("; ")
            ));
        }
    }
    let _ = running.stop().await;
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n\n{}",
        failures.len(),
        HTTP_CASES.len(),
        failures.join("\n\n")
    );
}
