//! Drawing one call from a recipe.
//!
//! Each part draws from its own sub-stream of the call's generator, so a change to the
//! line's parameters does not change which greeting is chosen, and the same seed always
//! gives the same plan.

use super::model::{Answer, Beep, Recipe};
use super::plan::{
    AnswerPlan, BeepPlan, BeforePlan, FarEndPlan, FaxPlan, IvrPlan, LinePlan, PersonPlan,
    SilencePlan, VoicemailPlan,
};
use super::rng::Rng;

impl Recipe {
    /// Draws one call with `seed` (a call's own seed, e.g. from [`Rng::for_call`]).
    pub fn draw(&self, seed: u64) -> FarEndPlan {
        let mut rng = Rng::new(seed);
        let mut top = rng.fork(b"top");
        let mut before_rng = rng.fork(b"before");
        let mut answer_rng = rng.fork(b"answer");
        let mut line_rng = rng.fork(b"line");
        let noise_seed = rng.fork(b"noise").next_u64();

        let rate_hz = self.output.rate_hz.draw(&mut top);
        let channels = self.output.channels.draw(&mut top);
        let far_right = self.output.far_channel.draw(&mut top) == "right";
        let speech_db = self.speech_db.draw(&mut top);

        let b = &self.before;
        let kind = b.kind.draw(&mut before_rng);
        let country = b.country.draw(&mut before_rng);
        let before = match kind.as_str() {
            "ringback" => BeforePlan::Ringback {
                country,
                rings: b.rings.draw(&mut before_rng),
                pickup_frac: before_rng.unit(),
            },
            "busy" => BeforePlan::Busy {
                country,
                duration_s: b.duration_s.draw(&mut before_rng),
            },
            "congestion" => BeforePlan::Congestion {
                country,
                duration_s: b.duration_s.draw(&mut before_rng),
            },
            "sit" => BeforePlan::Sit {
                announcement: before_rng.next_u64(),
            },
            _ => BeforePlan::None,
        };
        let answered = matches!(before, BeforePlan::None | BeforePlan::Ringback { .. });
        let answer = answered.then(|| draw_answer(&self.answer, &mut answer_rng));

        let l = &self.line;
        let line = LinePlan {
            codec: l.codec.draw(&mut line_rng),
            bandpass: l.bandpass.draw(&mut line_rng),
            gsm: l.gsm.as_ref().map(|g| {
                (
                    g.dropout_pct.draw(&mut line_rng),
                    g.comfort_db.draw(&mut line_rng),
                )
            }),
            gain_db: l.gain_db.draw(&mut line_rng),
            clip_pct: l.clip_pct.draw(&mut line_rng),
            dc: l.dc.draw(&mut line_rng),
            noise: l.noise.draw(&mut line_rng),
            snr_db: l.snr_db.draw(&mut line_rng),
            echo: l.echo.as_ref().map(|e| {
                (
                    e.delay_ms.draw(&mut line_rng),
                    e.level_db.draw(&mut line_rng),
                )
            }),
        };
        FarEndPlan {
            recipe: self.name.clone(),
            tags: self.tags.clone(),
            rate_hz,
            channels,
            far_right,
            speech_db,
            before,
            answer,
            line,
            noise_seed,
        }
    }
}

fn clips_and_pauses(
    n: u32,
    pause: &super::param::Param<f64>,
    rng: &mut Rng,
) -> (Vec<u64>, Vec<f64>) {
    let clips: Vec<u64> = (0..n).map(|_| rng.next_u64()).collect();
    let pauses = (1..n).map(|_| pause.draw(rng)).collect();
    (clips, pauses)
}

fn draw_answer(answer: &Answer, rng: &mut Rng) -> AnswerPlan {
    match answer {
        Answer::Voicemail(v) => {
            let lead_s = v.lead_s.draw(rng);
            let n = v.clips.draw(rng);
            let (clips, pauses) = clips_and_pauses(n, &v.pause_s, rng);
            AnswerPlan::Voicemail(VoicemailPlan {
                lead_s,
                clips,
                pauses,
                gap_s: v.gap_s.draw(rng),
                beep: v
                    .beep
                    .as_ref()
                    .map(|b| draw_beep(b, &mut rng.fork(b"beep"))),
                after: v.after.kind.draw(rng),
                after_s: v.after.duration_s.draw(rng),
                after_db: v.after.level_db.draw(rng),
            })
        }
        Answer::Person(p) => {
            let second_p = p.second_hello.draw(rng);
            AnswerPlan::Person(PersonPlan {
                lead_s: p.lead_s.draw(rng),
                first: p.first.draw(rng),
                first_pick: rng.next_u64(),
                name_pick: rng.next_u64(),
                second: {
                    let gap = p.gap_s.draw(rng);
                    let pick = rng.next_u64();
                    rng.chance(second_p).then_some((gap, pick))
                },
                tail_s: p.tail_s.draw(rng),
                background: p.background.draw(rng),
                background_db: p.background_db.draw(rng),
                background_pick: rng.next_u64(),
                household_beep: p.household_beep.as_ref().map(|h| {
                    (
                        h.freq_hz.draw(rng),
                        h.duration_s.draw(rng),
                        h.level_db.draw(rng),
                        h.after_speech_s.draw(rng),
                    )
                }),
            })
        }
        Answer::Fax(f) => AnswerPlan::Fax(FaxPlan {
            sequence: f.sequence.draw(rng),
            lead_s: f.lead_s.draw(rng),
            ced_s: f.ced_s.draw(rng),
            v21_s: f.v21_s.draw(rng),
            cng_count: f.cng_count.draw(rng),
            level_db: f.level_db.draw(rng),
        }),
        Answer::Silence(s) => AnswerPlan::Silence(SilencePlan {
            kind: s.kind.draw(rng),
            duration_s: s.duration_s.draw(rng),
            level_db: s.level_db.draw(rng),
            hum_hz: s.hum_hz.draw(rng),
        }),
        Answer::Ivr(i) => {
            let lead_s = i.lead_s.draw(rng);
            let n = i.clips.draw(rng);
            let (clips, pauses) = clips_and_pauses(n, &i.pause_s, rng);
            AnswerPlan::Ivr(IvrPlan {
                lead_s,
                clips,
                pauses,
                tail_s: i.tail_s.draw(rng),
            })
        }
    }
}

fn draw_beep(b: &Beep, rng: &mut Rng) -> BeepPlan {
    let shape = b.shape.draw(rng);
    let f1 = b.freq_hz.draw(rng);
    let f2 = b.freq2_hz.draw(rng);
    let f3 = b.freq3_hz.draw(rng);
    let tones = b.tones.draw(rng);
    let freqs = match shape.as_str() {
        "dual" => vec![f1, f2],
        "sequence" if tones >= 3 => vec![f1, f2, f3],
        "sequence" => vec![f1, f2],
        _ => vec![f1],
    };
    BeepPlan {
        shape,
        freqs,
        duration_s: b.duration_s.draw(rng),
        bursts: b.bursts.draw(rng),
        burst_gap_s: b.burst_gap_s.draw(rng),
        level_db: b.level_db.draw(rng),
        harmonics_db: b.harmonics_db.draw(rng),
        clip_pct: b.clip_pct.draw(rng),
        decay_s: b.decay_s.draw(rng),
        warble_rate_hz: b.warble_rate_hz.draw(rng),
        warble_pct: b.warble_pct.draw(rng),
        ramp_ms: b.ramp_ms.draw(rng),
        recording: b.recording.clone(),
    }
}
