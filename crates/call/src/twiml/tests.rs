//! Parser and interpreter tests.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::api::{DialStatus, Method, PhoneNumber};
use crate::call::DialResult;
use crate::time::Duration;
use url::Url;

fn one(xml_verbs: &str) -> Verb {
    let doc = parse(&format!("<Response>{xml_verbs}</Response>")).unwrap();
    assert_eq!(doc.verbs.len(), 1, "{xml_verbs}");
    doc.verbs.into_iter().next().unwrap()
}

fn err(xml_verbs: &str) -> TwimlError {
    parse(&format!("<Response>{xml_verbs}</Response>")).unwrap_err()
}

fn invalid_attr(xml_verbs: &str, attribute: &str, value: &str) {
    match err(xml_verbs) {
        TwimlError::InvalidAttribute {
            attribute: a,
            value: v,
            ..
        } => {
            assert_eq!((a, v.as_str()), (attribute, value), "{xml_verbs}");
        }
        other => panic!("{xml_verbs}: expected InvalidAttribute, got {other:?}"),
    }
}

mod document {
    use super::*;

    #[test]
    fn empty_response_and_prolog() {
        assert_eq!(parse("<Response/>").unwrap().verbs, vec![]);
        assert_eq!(parse("<Response></Response>").unwrap().verbs, vec![]);
        let doc = parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- hi -->\n<Response>\n  <Hangup/>\n</Response>\n")
            .unwrap();
        assert_eq!(doc.verbs, vec![Verb::Hangup]);
    }

    #[test]
    fn verbs_keep_document_order() {
        let doc = parse("<Response><Say>a</Say><Pause/><Play>b.mp3</Play><Redirect>c</Redirect><Hangup/></Response>")
            .unwrap();
        let names: Vec<_> = doc.verbs.iter().map(Verb::name).collect();
        assert_eq!(names, ["Say", "Pause", "Play", "Redirect", "Hangup"]);
    }

    #[test]
    fn malformed_xml() {
        for xml in [
            "<Response>",
            "<Response><Say>hi</Response>",
            "<Response><Say>hi</Say>",
            "<Response></Respons>",
            "<Response><Say a=\"1>x</Say></Response>",
            "<Response>&bogus;</Response>",
            "<Response/><Response/>",
            "junk<Response/>",
            "<Response/>junk",
            "<Response><Say loop=1>x</Say></Response>",
            "<Response><Say loop=\"1\" loop=\"2\">x</Say></Response>",
        ] {
            assert!(
                matches!(parse(xml), Err(TwimlError::Xml { .. })),
                "{xml}: {:?}",
                parse(xml)
            );
        }
        assert_eq!(parse("").unwrap_err(), TwimlError::Empty);
        assert_eq!(
            parse("  <!-- only a comment -->  ").unwrap_err(),
            TwimlError::Empty
        );
    }

    #[test]
    fn root_must_be_response() {
        assert_eq!(
            parse("<Say>hi</Say>").unwrap_err(),
            TwimlError::NotResponse {
                found: "Say".into()
            }
        );
        let e = parse("<html><body/></html>").unwrap_err();
        assert!(e.to_string().contains("<html>"), "{e}");
        assert!(matches!(
            parse("<Response foo=\"1\"/>"),
            Err(TwimlError::UnknownAttribute { .. })
        ));
    }

    #[test]
    fn unknown_verbs_and_nesting() {
        assert_eq!(
            err("<Sms>hi</Sms>"),
            TwimlError::UnknownVerb {
                name: "Sms".into(),
                parent: "Response".into()
            }
        );
        assert_eq!(
            err("<say>hi</say>"),
            TwimlError::UnknownVerb {
                name: "say".into(),
                parent: "Response".into()
            }
        );
        assert_eq!(
            err("<Response/>"),
            TwimlError::NotAllowed {
                child: "Response".into(),
                parent: "Response".into()
            }
        );
        assert_eq!(
            err("<Number>4155551212</Number>"),
            TwimlError::NotAllowed {
                child: "Number".into(),
                parent: "Response".into()
            }
        );
        assert_eq!(
            err("<Gather><Record/></Gather>"),
            TwimlError::NotAllowed {
                child: "Record".into(),
                parent: "Gather".into()
            }
        );
        assert_eq!(
            err("<Gather><Gather/></Gather>"),
            TwimlError::NotAllowed {
                child: "Gather".into(),
                parent: "Gather".into()
            }
        );
        assert_eq!(
            err("<Gather><Foo/></Gather>"),
            TwimlError::UnknownVerb {
                name: "Foo".into(),
                parent: "Gather".into()
            }
        );
        assert_eq!(
            err("<Say>hi <Play>x</Play></Say>"),
            TwimlError::NotAllowed {
                child: "Play".into(),
                parent: "Say".into()
            }
        );
        assert_eq!(
            err("<Dial><Say>x</Say></Dial>"),
            TwimlError::NotAllowed {
                child: "Say".into(),
                parent: "Dial".into()
            }
        );
        assert!(matches!(
            err("<Hangup><Say>x</Say></Hangup>"),
            TwimlError::NotAllowed { .. }
        ));
        assert!(matches!(
            err("<Pause><Say>x</Say></Pause>"),
            TwimlError::NotAllowed { .. }
        ));
        assert!(matches!(
            err("<Record><Say>x</Say></Record>"),
            TwimlError::NotAllowed { .. }
        ));
    }

    /// Attributes are read without quick-xml's duplicate check, which the parser does
    /// itself; the errors must still be quick-xml's own, in its order.
    #[test]
    fn repeated_attributes_are_quick_xml_errors() {
        let xml_error = |message: &str| TwimlError::Xml {
            message: message.to_owned(),
            position: 10,
        };
        let duplicated =
            xml_error("position 16: duplicated attribute, previous declaration at position 4");
        assert_eq!(
            err("<Say voice=\"man\" voice=\"woman\">x</Say>"),
            duplicated
        );
        // The name is checked before the value is read or normalised.
        assert_eq!(err("<Say voice=\"man\" voice=woman>x</Say>"), duplicated);
        assert_eq!(
            err("<Say voice=\"man\" voice=\"&bad;\">x</Say>"),
            duplicated
        );
        // An earlier attribute's bad value comes first.
        assert_eq!(
            err("<Say voice=\"m&bad;\" voice=\"woman\">x</Say>"),
            xml_error("at 2..5: unrecognized entity `bad`")
        );
        // More attributes than the parser compares itself.
        let many: String = (0..20).map(|i| format!(" a{i}=\"{i}\"")).collect();
        assert_eq!(
            err(&format!("<Say{many} a3=\"x\">x</Say>")),
            xml_error("position 164: duplicated attribute, previous declaration at position 25")
        );
        assert_eq!(
            err(&format!("<Say{many}>x</Say>")),
            TwimlError::UnknownAttribute {
                element: "Say".into(),
                attribute: "a0".into()
            }
        );
    }

    #[test]
    fn whitespace_and_line_ends_in_text() {
        let doc = parse("<Response>\r\n  <Say>a\r\nb</Say>\r\n <!-- c --> <Pause/>\r\n</Response>")
            .unwrap();
        assert!(matches!(&doc.verbs[0], Verb::Say(s) if &*s.text == "a\nb"));
        let doc =
            parse("<Response><Say> a <!-- c --> b </Say><Say>&#x20;</Say></Response>").unwrap();
        assert!(matches!(&doc.verbs[0], Verb::Say(s) if &*s.text == "a  b"));
        assert!(matches!(&doc.verbs[1], Verb::Say(s) if s.text.is_empty()));
        // Unicode whitespace is whitespace too.
        assert_eq!(
            parse("<Response>\u{a0}<Hangup/>\u{2003}</Response>")
                .unwrap()
                .verbs,
            vec![Verb::Hangup]
        );
    }

    #[test]
    fn stray_text() {
        assert!(
            matches!(err("hello"), TwimlError::UnexpectedText { element, .. } if element == "Response")
        );
        assert!(
            matches!(err("<Gather>press 1</Gather>"), TwimlError::UnexpectedText { element, .. } if element == "Gather")
        );
        assert!(matches!(
            err("<Hangup>now</Hangup>"),
            TwimlError::UnexpectedText { .. }
        ));
        assert!(matches!(
            err("<Pause>2</Pause>"),
            TwimlError::UnexpectedText { .. }
        ));
        assert!(matches!(
            err("<Record>x</Record>"),
            TwimlError::UnexpectedText { .. }
        ));
    }

    #[test]
    fn too_deep_is_refused_without_recursion() {
        let xml = format!(
            "<Response>{}{}</Response>",
            "<Gather>".repeat(10_000),
            "</Gather>".repeat(10_000)
        );
        assert!(matches!(parse(&xml), Err(TwimlError::TooDeep { .. })));
    }

    #[test]
    fn unknown_attributes_are_named() {
        let e = err("<Gather numdigits=\"4\"/>");
        assert_eq!(
            e,
            TwimlError::UnknownAttribute {
                element: "Gather".into(),
                attribute: "numdigits".into()
            }
        );
        assert!(e.to_string().contains("numdigits"));
        assert!(matches!(
            err("<Hangup reason=\"x\"/>"),
            TwimlError::UnknownAttribute { .. }
        ));
    }

    #[test]
    fn error_messages_name_attribute_and_value() {
        let e = err("<Say voice=\"robot\">hi</Say>");
        let msg = e.to_string();
        assert!(
            msg.contains("Say") && msg.contains("voice") && msg.contains("robot"),
            "{msg}"
        );
        assert_eq!(e.code(), 12100);
    }
}

mod say {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(
            one("<Say>  Hello there\n</Say>"),
            Verb::Say(Say::new("Hello there"))
        );
        let Verb::Say(s) = one("<Say>x</Say>") else {
            panic!()
        };
        assert_eq!(
            (s.voice, s.language, s.loops),
            (Voice::Man, Language::En, 1)
        );
    }

    #[test]
    fn attributes() {
        let Verb::Say(s) = one("<Say voice=\"woman\" language=\"fr\" loop=\"0\">Bonjour</Say>")
        else {
            panic!()
        };
        assert_eq!(
            (s.voice, s.language, s.loops),
            (Voice::Woman, Language::Fr, 0)
        );
        for (lang, want) in [
            ("en", Language::En),
            ("es", Language::Es),
            ("de", Language::De),
            ("DE", Language::De),
        ] {
            let Verb::Say(s) = one(&format!("<Say language=\"{lang}\">x</Say>")) else {
                panic!()
            };
            assert_eq!(s.language, want);
        }
        let Verb::Say(s) = one("<Say voice=\"Man\" loop=\"3\">x</Say>") else {
            panic!()
        };
        assert_eq!((s.voice, s.loops), (Voice::Man, 3));
    }

    #[test]
    fn entities_and_cdata() {
        let Verb::Say(s) = one("<Say>Tom &amp; Jerry &lt;3 &#65;&#x42; <![CDATA[<raw>]]></Say>")
        else {
            panic!()
        };
        assert_eq!(&*s.text, "Tom & Jerry <3 AB <raw>");
    }

    #[test]
    fn bad_values() {
        invalid_attr("<Say voice=\"robot\">x</Say>", "voice", "robot");
        invalid_attr("<Say language=\"it\">x</Say>", "language", "it");
        invalid_attr("<Say loop=\"-1\">x</Say>", "loop", "-1");
        invalid_attr("<Say loop=\"two\">x</Say>", "loop", "two");
        invalid_attr("<Say loop=\"\">x</Say>", "loop", "");
        invalid_attr("<Say loop=\"99999999999\">x</Say>", "loop", "99999999999");
    }

    #[test]
    fn four_kilobyte_limit() {
        let ok = "a".repeat(Say::MAX_TEXT_BYTES);
        assert!(matches!(one(&format!("<Say>{ok}</Say>")), Verb::Say(_)));
        let long = "a".repeat(Say::MAX_TEXT_BYTES + 1);
        assert!(matches!(
            err(&format!("<Say>{long}</Say>")),
            TwimlError::TextTooLong {
                len: 4097,
                max: 4096,
                ..
            }
        ));
    }
}

mod play {
    use super::*;

    #[test]
    fn url_and_loop() {
        assert_eq!(
            one("<Play>http://example.com/a.mp3</Play>"),
            Verb::Play(Play {
                url: "http://example.com/a.mp3".into(),
                loops: 1
            })
        );
        let Verb::Play(p) = one("<Play loop=\"0\"> /b.wav </Play>") else {
            panic!()
        };
        assert_eq!((p.url.as_str(), p.loops), ("/b.wav", 0));
    }

    #[test]
    fn needs_a_url() {
        assert!(matches!(
            err("<Play/>"),
            TwimlError::InvalidText {
                element: "Play",
                ..
            }
        ));
        assert!(matches!(
            err("<Play>  </Play>"),
            TwimlError::InvalidText {
                element: "Play",
                ..
            }
        ));
        invalid_attr("<Play loop=\"x\">a.mp3</Play>", "loop", "x");
    }
}

mod pause {
    use super::*;

    #[test]
    fn length() {
        assert_eq!(
            one("<Pause/>"),
            Verb::Pause(Pause {
                length: Duration::from_secs(1)
            })
        );
        assert_eq!(
            one("<Pause length=\"7\"/>"),
            Verb::Pause(Pause {
                length: Duration::from_secs(7)
            })
        );
        assert_eq!(
            one("<Pause length=\"0\"></Pause>"),
            Verb::Pause(Pause {
                length: Duration::ZERO
            })
        );
        invalid_attr("<Pause length=\"1.5\"/>", "length", "1.5");
    }
}

mod gather {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(
            one("<Gather/>"),
            Verb::Gather(Gather {
                action: None,
                method: Method::Post,
                timeout: Duration::from_secs(5),
                finish_on_key: Some('#'),
                num_digits: None,
                prompts: vec![],
            })
        );
    }

    #[test]
    fn attributes_and_prompts() {
        let Verb::Gather(g) = one(
            "<Gather action=\"/menu\" method=\"GET\" timeout=\"10\" finishOnKey=\"*\" numDigits=\"4\">\
             <Say>Enter your PIN</Say><Pause length=\"2\"/><Play>beep.wav</Play></Gather>",
        ) else {
            panic!()
        };
        assert_eq!(g.action.as_deref(), Some("/menu"));
        assert_eq!(g.method, Method::Get);
        assert_eq!(g.timeout, Duration::from_secs(10));
        assert_eq!(g.finish_on_key, Some('*'));
        assert_eq!(g.num_digits, Some(4));
        assert_eq!(
            g.prompts,
            vec![
                Prompt::Say(Say::new("Enter your PIN")),
                Prompt::Pause(Pause {
                    length: Duration::from_secs(2)
                }),
                Prompt::Play(Play {
                    url: "beep.wav".into(),
                    loops: 1
                }),
            ]
        );
        let Verb::Gather(g) = one("<Gather finishOnKey=\"\"/>") else {
            panic!()
        };
        assert_eq!(g.finish_on_key, None);
    }

    #[test]
    fn bad_values() {
        invalid_attr("<Gather timeout=\"0\"/>", "timeout", "0");
        invalid_attr("<Gather timeout=\"soon\"/>", "timeout", "soon");
        invalid_attr("<Gather finishOnKey=\"##\"/>", "finishOnKey", "##");
        invalid_attr("<Gather finishOnKey=\"a\"/>", "finishOnKey", "a");
        invalid_attr("<Gather numDigits=\"0\"/>", "numDigits", "0");
        invalid_attr("<Gather numDigits=\"+3\"/>", "numDigits", "+3");
        invalid_attr("<Gather method=\"PUT\"/>", "method", "PUT");
        invalid_attr("<Gather action=\"\"/>", "action", "");
        invalid_attr("<Gather><Say voice=\"x\">a</Say></Gather>", "voice", "x");
    }
}

mod record {
    use super::*;

    #[test]
    fn defaults() {
        assert_eq!(
            one("<Record/>"),
            Verb::Record(Record {
                action: None,
                method: Method::Post,
                timeout: Duration::from_secs(5),
                finish_on_key: "1234567890*#".into(),
                max_length: Duration::from_secs(3600),
                transcribe: false,
                transcribe_callback: None,
                play_beep: true,
            })
        );
    }

    #[test]
    fn attributes() {
        let Verb::Record(r) = one(
            "<Record action=\"done\" method=\"get\" timeout=\"3\" finishOnKey=\"#\" maxLength=\"20\" \
             transcribe=\"TRUE\" transcribeCallback=\"/t\" playBeep=\"false\"/>",
        ) else {
            panic!()
        };
        assert_eq!(r.action.as_deref(), Some("done"));
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.timeout, Duration::from_secs(3));
        assert_eq!(r.finish_on_key, "#");
        assert_eq!(r.max_length, Duration::from_secs(20));
        assert!(r.transcribe);
        assert_eq!(r.transcribe_callback.as_deref(), Some("/t"));
        assert!(!r.play_beep);
        let Verb::Record(r) = one("<Record finishOnKey=\"\"/>") else {
            panic!()
        };
        assert_eq!(r.finish_on_key, "");
    }

    #[test]
    fn bad_values() {
        invalid_attr("<Record maxLength=\"0\"/>", "maxLength", "0");
        invalid_attr("<Record timeout=\"-1\"/>", "timeout", "-1");
        invalid_attr("<Record finishOnKey=\"12a\"/>", "finishOnKey", "12a");
        invalid_attr("<Record transcribe=\"yes\"/>", "transcribe", "yes");
        invalid_attr("<Record playBeep=\"1\"/>", "playBeep", "1");
        invalid_attr(
            "<Record transcribeCallback=\" \"/>",
            "transcribeCallback",
            " ",
        );
    }
}

mod dial {
    use super::*;

    #[test]
    fn text_number_and_defaults() {
        let Verb::Dial(d) = one("<Dial>(415) 555-1212</Dial>") else {
            panic!()
        };
        assert_eq!(d.action, None);
        assert_eq!(d.method, Method::Post);
        assert_eq!(d.timeout, Duration::from_secs(30));
        assert!(!d.hangup_on_star);
        assert_eq!(d.time_limit, Duration::from_secs(14400));
        assert_eq!(d.caller_id, None);
        assert_eq!(d.numbers.len(), 1);
        assert_eq!(d.numbers[0].number.to_string(), "4155551212");
    }

    #[test]
    fn number_nouns_and_attributes() {
        let Verb::Dial(d) = one(
            "<Dial action=\"/after\" method=\"GET\" timeout=\"10\" hangupOnStar=\"true\" timeLimit=\"60\" callerId=\"415-867-5309\">\
             <Number sendDigits=\"ww12#\" url=\"/whisper\">+44 1234 567890</Number>\
             <Number>4155551212</Number></Dial>",
        ) else {
            panic!()
        };
        assert_eq!(d.action.as_deref(), Some("/after"));
        assert_eq!(d.method, Method::Get);
        assert_eq!(d.timeout, Duration::from_secs(10));
        assert!(d.hangup_on_star);
        assert_eq!(d.time_limit, Duration::from_secs(60));
        assert_eq!(d.caller_id, Some(PhoneNumber::parse("4158675309").unwrap()));
        assert_eq!(d.numbers[0].number.to_string(), "+441234567890");
        assert_eq!(d.numbers[0].send_digits.as_ref().unwrap().as_str(), "ww12#");
        assert_eq!(d.numbers[0].url.as_deref(), Some("/whisper"));
        assert_eq!(d.numbers[1].send_digits, None);
    }

    #[test]
    fn bad_values() {
        assert!(matches!(
            err("<Dial/>"),
            TwimlError::InvalidText {
                element: "Dial",
                ..
            }
        ));
        assert!(matches!(
            err("<Dial>call mom</Dial>"),
            TwimlError::InvalidText {
                element: "Dial",
                ..
            }
        ));
        assert!(matches!(
            err("<Dial><Number>12</Number></Dial>"),
            TwimlError::InvalidText {
                element: "Number",
                ..
            }
        ));
        assert!(matches!(
            err("<Dial>4155551212<Number>4155551213</Number></Dial>"),
            TwimlError::UnexpectedText { .. }
        ));
        invalid_attr("<Dial timeout=\"0\">4155551212</Dial>", "timeout", "0");
        invalid_attr(
            "<Dial hangupOnStar=\"maybe\">4155551212</Dial>",
            "hangupOnStar",
            "maybe",
        );
        invalid_attr("<Dial timeLimit=\"x\">4155551212</Dial>", "timeLimit", "x");
        invalid_attr(
            "<Dial callerId=\"abc\">4155551212</Dial>",
            "callerId",
            "abc",
        );
        invalid_attr(
            "<Dial><Number sendDigits=\"12x\">4155551212</Number></Dial>",
            "sendDigits",
            "12x",
        );
        assert!(matches!(
            err("<Dial><Number foo=\"1\">4155551212</Number></Dial>"),
            TwimlError::UnknownAttribute { .. }
        ));
    }
}

mod redirect {
    use super::*;

    #[test]
    fn url_and_method() {
        assert_eq!(
            one("<Redirect>next.xml</Redirect>"),
            Verb::Redirect(Redirect {
                url: "next.xml".into(),
                method: Method::Post
            })
        );
        let Verb::Redirect(r) = one("<Redirect method=\"GET\">http://x.example/y</Redirect>")
        else {
            panic!()
        };
        assert_eq!(r.method, Method::Get);
        assert!(matches!(
            err("<Redirect/>"),
            TwimlError::InvalidText {
                element: "Redirect",
                ..
            }
        ));
        invalid_attr("<Redirect method=\"HEAD\">x</Redirect>", "method", "HEAD");
    }
}

mod interpreter {
    use super::*;

    fn base() -> Url {
        Url::parse("http://app.example/ivr/start.php?x=1").unwrap()
    }

    fn interp(xml: &str) -> Interpreter {
        Interpreter::new(parse(xml).unwrap(), base())
    }

    #[test]
    fn runs_top_to_bottom_then_ends() {
        let mut i =
            interp("<Response><Say>hi</Say><Pause length=\"2\"/><Play>a.mp3</Play></Response>");
        assert!(matches!(i.step(), Step::Media(Media::Say { text, .. }) if &*text == "hi"));
        assert_eq!(
            i.resume(Outcome::Done),
            Step::Media(Media::Pause(Duration::from_secs(2)))
        );
        let Step::Media(Media::Play { url, loops: 1 }) = i.resume(Outcome::Done) else {
            panic!()
        };
        assert_eq!(url.as_str(), "http://app.example/ivr/a.mp3");
        assert_eq!(i.resume(Outcome::Done), Step::End);
        assert!(i.is_done());
        assert_eq!(i.step(), Step::End);
    }

    #[test]
    fn hangup_stops_the_document() {
        let mut i = interp("<Response><Hangup/><Say>never</Say></Response>");
        assert_eq!(i.step(), Step::Hangup);
        assert_eq!(i.step(), Step::End);
    }

    #[test]
    fn redirect_resolves_relative_and_absolute() {
        let mut i = interp("<Response><Redirect>../other.xml</Redirect></Response>");
        let Step::Fetch(f) = i.step() else { panic!() };
        assert_eq!(f.url.as_str(), "http://app.example/other.xml");
        assert_eq!((f.method, f.cause), (Method::Post, FetchCause::Redirect));
        let mut i = interp(
            "<Response><Redirect method=\"GET\">https://elsewhere.example/a</Redirect></Response>",
        );
        let Step::Fetch(f) = i.step() else { panic!() };
        assert_eq!(f.url.as_str(), "https://elsewhere.example/a");
        assert_eq!(f.method, Method::Get);
        let mut i = interp("<Response><Redirect>/root.xml</Redirect></Response>");
        let Step::Fetch(f) = i.step() else { panic!() };
        assert_eq!(f.url.as_str(), "http://app.example/root.xml");
    }

    #[test]
    fn bad_url_fails() {
        let mut i = interp("<Response><Redirect>mailto:someone@example.com</Redirect></Response>");
        assert!(matches!(
            i.step(),
            Step::Fail(TwimlError::BadUrl {
                element: "Redirect",
                ..
            })
        ));
    }

    #[test]
    fn gather_with_digits_posts_to_action_default_current_url() {
        let mut i = interp(
            "<Response><Gather numDigits=\"1\"><Say>Press 1</Say></Gather><Say>bye</Say></Response>",
        );
        let Step::Gather(g) = i.step() else { panic!() };
        assert_eq!(g.num_digits, Some(1));
        assert_eq!(g.prompts.len(), 1);
        let Step::Fetch(f) = i.resume(Outcome::Gathered("1".into())) else {
            panic!()
        };
        assert_eq!(*f.url, base());
        assert_eq!(f.cause, FetchCause::Gather);
        assert_eq!(f.params, vec![("Digits", "1".to_owned())]);
    }

    #[test]
    fn gather_without_input_goes_to_next_verb() {
        let mut i = interp("<Response><Gather action=\"/menu\"/><Say>bye</Say></Response>");
        assert!(matches!(i.step(), Step::Gather(_)));
        assert!(matches!(
            i.resume(Outcome::Gathered(String::new())),
            Step::Media(Media::Say { .. })
        ));
    }

    #[test]
    fn gather_action_method() {
        let mut i = interp("<Response><Gather action=\"menu\" method=\"GET\"/></Response>");
        i.step();
        let Step::Fetch(f) = i.resume(Outcome::Gathered("42".into())) else {
            panic!()
        };
        assert_eq!(f.url.as_str(), "http://app.example/ivr/menu");
        assert_eq!(f.method, Method::Get);
    }

    #[test]
    fn record_posts_recording() {
        let mut i = interp("<Response><Record action=\"saved\"/></Response>");
        let Step::Record(r) = i.step() else { panic!() };
        assert!(r.play_beep);
        let Step::Fetch(f) = i.resume(Outcome::Recorded {
            url: "http://rec/RE1".into(),
            duration: Duration::from_millis(4200),
            digits: "#".into(),
        }) else {
            panic!()
        };
        assert_eq!(f.url.as_str(), "http://app.example/ivr/saved");
        assert_eq!(f.cause, FetchCause::Record);
        assert_eq!(
            f.params,
            vec![
                ("RecordingUrl", "http://rec/RE1".to_owned()),
                ("Duration", "5".to_owned()),
                ("Digits", "#".to_owned()),
            ]
        );
    }

    #[test]
    fn dial_action_only_if_given() {
        let mut i = interp("<Response><Dial>4155551212</Dial><Say>after</Say></Response>");
        assert!(matches!(i.step(), Step::Dial(_)));
        assert!(matches!(
            i.resume(Outcome::DialEnded(DialResult {
                status: DialStatus::Busy,
                ..DialResult::failed()
            })),
            Step::Media(_)
        ));
        let mut i = interp(
            "<Response><Dial action=\"/dialed\"><Number url=\"w.xml\">4155551212</Number></Dial></Response>",
        );
        let Step::Dial(d) = i.step() else { panic!() };
        assert_eq!(
            d.numbers[0].url.as_ref().unwrap().as_str(),
            "http://app.example/ivr/w.xml"
        );
        let Step::Fetch(f) = i.resume(Outcome::DialEnded(DialResult {
            status: DialStatus::NoAnswer,
            duration: crate::time::Duration::ZERO,
            segment_sid: Some("CA1".into()),
        })) else {
            panic!()
        };
        assert_eq!(
            f.params,
            vec![
                ("DialStatus", "no-answer".to_owned()),
                ("DialCallSid", "CA1".to_owned()),
                ("DialCallDuration", "0".to_owned())
            ]
        );
        assert_eq!(f.cause, FetchCause::Dial);
    }

    #[test]
    fn mismatched_outcome_counts_as_done() {
        let mut i = interp("<Response><Gather/><Hangup/></Response>");
        i.step();
        assert_eq!(
            i.resume(Outcome::DialEnded(DialResult::failed())),
            Step::Hangup
        );
    }

    #[test]
    fn text_and_audio_replies() {
        let mut i = Interpreter::for_text("  Hello from plain text ", base());
        assert!(
            matches!(i.step(), Step::Media(Media::Say { text, .. }) if &*text == "Hello from plain text")
        );
        assert_eq!(i.resume(Outcome::Done), Step::Hangup);
        let mut i = Interpreter::for_audio(base());
        assert!(matches!(i.step(), Step::Media(Media::Play { url, .. }) if *url == base()));
        assert_eq!(i.resume(Outcome::Done), Step::Hangup);
    }
}
