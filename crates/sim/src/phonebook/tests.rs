use std::path::{Path, PathBuf};

use ringside_call::{Duration, PhoneNumber};

use super::*;

/// The committed fixtures folder, so audio paths resolve.
fn book_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/test-phonebook.json")
}

fn parse(json: &str) -> Result<PhoneBook, PhoneBookError> {
    PhoneBook::from_json(json, &book_path())
}

fn invalid_field(json: &str) -> (String, String, String) {
    match parse(json) {
        Err(PhoneBookError::Invalid {
            field,
            value,
            reason,
            ..
        }) => (field, value, reason),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

const DEFAULT: &str = r##""default": {"outcome": "no-answer"}"##;

#[test]
fn parses_every_role_and_normalises_keys() {
    let book = parse(&format!(
        r###"{{ {DEFAULT}, "numbers": {{
            "(415) 555-0101": {{"ring_secs": 2.5, "answer": {{"audio": "human_hello.wav",
                "hangup_after_secs": 20, "human": {{"press": [{{"after_secs": 1, "digits": "12#"}}],
                "gather": [{{"after_secs": 0.5, "digits": "4"}}],
                "record": [{{"speak_secs": 3, "then_press": "#"}}]}}}}}},
            "+1 415 555 0102": {{"answer": {{"audio": "machine_beep.wav",
                "voicemail": {{"records_from_secs": 6.142}}}}}},
            "4155550103": {{"outcome": "busy"}},
            "4155550104": {{"answer": {{"ivr": {{}}}}}}
        }} }}"###
    ))
    .unwrap();
    let n = |s| PhoneNumber::parse(s).unwrap();
    let human = book.lookup(&n("4155550101"));
    assert_eq!(human.ring, Duration::from_millis(2500));
    let Outcome::Answer(a) = &human.outcome else {
        panic!("{human:?}")
    };
    assert!(a.audio.as_ref().unwrap().ends_with("human_hello.wav"));
    assert_eq!(a.hangup_after, Some(Duration::from_secs(20)));
    let Role::Human(script) = &a.role else {
        panic!("{a:?}")
    };
    assert_eq!(script.press[0].digits, "12#");
    assert_eq!(script.record[0].then_press, Some('#'));
    let vm = book.lookup(&n("(415) 555-0102"));
    let Outcome::Answer(Answer {
        role: Role::Voicemail(v),
        ..
    }) = &vm.outcome
    else {
        panic!("{vm:?}")
    };
    assert_eq!(v.records_from, Duration::from_millis(6142));
    assert_eq!(v.max_message, Voicemail::DEFAULT_MAX_MESSAGE);
    assert_eq!(book.lookup(&n("4155550103")).outcome, Outcome::Busy);
    assert!(matches!(
        book.lookup(&n("4155550104")).outcome,
        Outcome::Answer(Answer {
            role: Role::Ivr,
            audio: None,
            ..
        })
    ));
    // Unknown numbers get the default.
    assert_eq!(book.lookup(&n("2125550000")).outcome, Outcome::NoAnswer);
}

#[test]
fn bad_number_key_names_the_key() {
    let (field, value, reason) = invalid_field(&format!(
        r##"{{ {DEFAULT}, "numbers": {{"555-CALL": {{"outcome": "busy"}}}} }}"##
    ));
    assert_eq!(field, "numbers.555-CALL");
    assert_eq!(value, "555-CALL");
    assert!(reason.contains("not a phone number"), "{reason}");
}

#[test]
fn duplicate_numbers_after_normalisation_are_refused() {
    let (field, _, reason) = invalid_field(&format!(
        r##"{{ {DEFAULT}, "numbers": {{"4155550101": {{"outcome": "busy"}}, "+14155550101": {{"outcome": "fail"}}}} }}"##
    ));
    // Keys are visited in text order, so the second spelling is the one refused.
    assert_eq!(field, "numbers.4155550101");
    assert!(reason.contains("again"), "{reason}");
}

#[test]
fn missing_audio_file_names_field_and_path() {
    let (field, value, reason) = invalid_field(&format!(
        r##"{{ {DEFAULT}, "numbers": {{"4155550101": {{"answer": {{"audio": "nope.wav"}}}}}} }}"##
    ));
    assert_eq!(field, "numbers.4155550101.answer.audio");
    assert_eq!(value, "nope.wav");
    assert!(reason.contains("not a file"), "{reason}");
}

#[test]
fn bad_values_are_refused_with_their_field() {
    let cases = [
        (
            r##"{"default": {"ring_secs": -1, "outcome": "busy"}}"##,
            "default.ring_secs",
        ),
        (
            r##"{"default": {"answer": {"human": {"press": [{"after_secs": 1, "digits": "12a"}]}}}}"##,
            "default.answer.human.press[0].digits",
        ),
        (
            r##"{"default": {"answer": {"human": {"record": [{"speak_secs": 1, "then_press": "12"}]}}}}"##,
            "default.answer.human.record[0].then_press",
        ),
        (r##"{"default": {}}"##, "default.answer"),
        (
            r##"{"default": {"outcome": "busy", "answer": {}}}"##,
            "default.answer",
        ),
        (
            r##"{"default": {"answer": {"ivr": {}, "human": {}}}}"##,
            "default.answer",
        ),
    ];
    for (json, want) in cases {
        let (field, _, _) = invalid_field(json);
        assert_eq!(field, want, "{json}");
    }
}

#[test]
fn shape_errors_name_the_file_and_the_unknown_field() {
    let err = parse(r##"{"default": {"outcome": "busy", "rnig_secs": 3}}"##).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("test-phonebook.json"), "{msg}");
    assert!(msg.contains("rnig_secs"), "{msg}");
    let err = parse(r##"{"default": {"outcome": "maybe"}}"##).unwrap_err();
    assert!(err.to_string().contains("maybe"), "{err}");
    let err = parse("{").unwrap_err();
    assert!(matches!(err, PhoneBookError::Json { .. }));
}

#[test]
fn the_committed_phone_book_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/phonebook.json");
    let book = PhoneBook::load(&path).unwrap();
    assert!(book.entries().count() >= 8);
}

#[test]
fn a_recipe_answers_by_file_or_inline_and_gives_the_role() {
    let book = parse(&format!(
        r###"{{ {DEFAULT}, "numbers": {{
            "4155550201": {{"answer": {{"recipe": "recipes/voicemail_jp.json",
                "voicemail": {{"max_message_secs": 30}}}}}},
            "4155550202": {{"answer": {{"recipe": {{"name": "hello",
                "answer": {{"kind": "person", "second_hello": 1}}}},
                "human": {{"press": [{{"after_secs": 1, "digits": "5"}}]}}}}}},
            "4155550203": {{"answer": {{"recipe": "recipes/fax_cng.json"}}}}
        }} }}"###
    ))
    .unwrap();
    let n = |s: &str| PhoneNumber::parse(s).unwrap();
    let Outcome::Answer(a) = &book.lookup(&n("4155550201")).outcome else {
        panic!()
    };
    let r = a.recipe.as_ref().unwrap();
    assert!(r.origin.ends_with("voicemail_jp.json"), "{}", r.origin);
    assert_eq!(r.recipe.name, "voicemail_jp");
    let Role::Voicemail(v) = &a.role else {
        panic!("{a:?}")
    };
    assert_eq!(v.max_message, Duration::from_secs(30));
    assert!(a.audio.is_none());
    let Outcome::Answer(a) = &book.lookup(&n("4155550202")).outcome else {
        panic!()
    };
    assert_eq!(a.recipe.as_ref().unwrap().origin, "inline");
    let Role::Human(h) = &a.role else {
        panic!("{a:?}")
    };
    assert_eq!(h.press[0].digits, "5");
    let Outcome::Answer(a) = &book.lookup(&n("4155550203")).outcome else {
        panic!()
    };
    assert_eq!(a.role, Role::Plain, "a fax only plays");
    // Every entry shares one speech library.
    let speech = |num: &str| match &book.lookup(&n(num)).outcome {
        Outcome::Answer(a) => std::sync::Arc::clone(&a.recipe.as_ref().unwrap().speech),
        _ => panic!(),
    };
    assert!(std::sync::Arc::ptr_eq(
        &speech("4155550201"),
        &speech("4155550203")
    ));
}

#[test]
fn recipe_entries_are_checked_at_their_field() {
    let entry = |answer: &str| {
        format!(r###"{{ {DEFAULT}, "numbers": {{"4155550201": {{"answer": {answer}}}}} }}"###)
    };
    let (field, value, reason) = invalid_field(&entry(r#"{"recipe": "recipes/missing.json"}"#));
    assert_eq!(field, "numbers.4155550201.answer.recipe");
    assert_eq!(value, "recipes/missing.json");
    assert!(reason.contains("not a file"), "{reason}");
    let (field, _, reason) = invalid_field(&entry(
        r#"{"recipe": {"answer": {"kind": "voicemail", "beep": {"freq_hz": 9000}}}}"#,
    ));
    assert_eq!(field, "numbers.4155550201.answer.recipe");
    assert!(reason.contains("answer.beep.freq_hz"), "{reason}");
    let (field, _, reason) = invalid_field(&entry(
        r#"{"recipe": "recipes/voicemail_jp.json", "audio": "machine_beep.wav"}"#,
    ));
    assert_eq!(field, "numbers.4155550201.answer.recipe");
    assert!(reason.contains("not both"), "{reason}");
    let (field, value, reason) = invalid_field(&entry(
        r#"{"recipe": "recipes/voicemail_jp.json", "voicemail": {"records_from_secs": 4}}"#,
    ));
    assert_eq!(
        field,
        "numbers.4155550201.answer.voicemail.records_from_secs"
    );
    assert_eq!(value, "4");
    assert!(reason.contains("set by the recipe"), "{reason}");
    let (field, _, reason) = invalid_field(&entry(
        r#"{"recipe": "recipes/voicemail_jp.json", "human": {}}"#,
    ));
    assert_eq!(field, "numbers.4155550201.answer");
    assert!(reason.contains("contradicts its recipe"), "{reason}");
    let (field, _, reason) = invalid_field(&entry(r#"{"recipe": 7}"#));
    assert_eq!(field, "numbers.4155550201.answer.recipe");
    assert!(reason.contains("recipe file name"), "{reason}");
    // Without a recipe, a box must say when it records.
    let (field, _, reason) = invalid_field(&entry(r#"{"voicemail": {}}"#));
    assert_eq!(
        field,
        "numbers.4155550201.answer.voicemail.records_from_secs"
    );
    assert!(reason.contains("missing"), "{reason}");
    // A speech folder that is not there is named at `speech`.
    let (field, value, _) = invalid_field(&format!(r#"{{"speech": "no-such-folder", {DEFAULT}}}"#));
    assert_eq!(
        (field.as_str(), value.as_str()),
        ("speech", "no-such-folder")
    );
}

#[test]
fn a_person_may_say_words_a_transcription_yields() {
    let book = parse(&format!(
        r###"{{ {DEFAULT}, "numbers": {{"4155550101": {{"answer": {{"audio": "human_hello.wav",
            "human": {{"says": "  Call me back.  "}}}}}}}}}}"###
    ))
    .unwrap();
    let entry = book.lookup(&PhoneNumber::parse("4155550101").unwrap());
    let Outcome::Answer(a) = &entry.outcome else {
        panic!()
    };
    let Role::Human(h) = &a.role else { panic!() };
    assert_eq!(h.says.as_deref(), Some("Call me back."));

    for (says, reason) in [
        ("\"  \"", "is empty"),
        ("\"line\\u0001feed\"", "control character"),
        (&format!("\"{}\"", "a".repeat(4097)), "the limit is 4096"),
    ] {
        let (field, _, why) = invalid_field(&format!(
            r###"{{ {DEFAULT}, "numbers": {{"4155550101": {{"answer": {{"audio": "human_hello.wav",
                "human": {{"says": {says}}}}}}}}}}}"###
        ));
        assert_eq!(field, "numbers.4155550101.answer.human.says");
        assert!(why.contains(reason), "{why}");
    }
}
