//! The line between the simulator (the caller) and the far end: one mixer per direction,
//! cut into 10 ms frames, and, when asked ([`Line::keeping_audio`]), the audio of both
//! directions kept for writing out afterwards (`scenario --record`). Only a recording run
//! asks: a call kept 2 × 57.6 MB of samples per 30 minutes, and a server runs many.
//!
//! Everything on the line is a [`Source`]: a clip that starts at a given sample, plays a
//! number of times (or until stopped), and carries a [`Tag`] saying what it is. Sources
//! are scheduled ahead (a scripted person's key presses, the `SendDigits` tones) and the
//! mixer sums whatever is sounding in each frame. Sample 0 is the moment of answer.

use std::fmt;
use std::sync::Arc;

use ringside_call::PlaybackId;

use super::signals::RATE;

/// Samples per frame: 10 ms, the detector's hop.
pub const FRAME: usize = RATE as usize / 100;

/// Audio kept per direction: 30 minutes (a longer call keeps its first 30 minutes), so a
/// runaway scenario cannot exhaust memory.
const MAX_KEPT_SAMPLES: usize = 30 * 60 * RATE as usize;

/// 8 kHz mono audio shared between the sources that play it.
pub type Clip = Arc<[f32]>;

/// Which way audio travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the simulator (the app's prompts, `SendDigits`) to the callee.
    ToCallee,
    /// From the callee (its recording, a person's keys and voice) to the simulator.
    FromCallee,
}

/// What a source is, for timelines and for knowing when a prompt finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// The far end's recording (greeting, hello, fax tones).
    Greeting,
    /// An app `<Say>`/`<Play>`.
    Playback(PlaybackId),
    /// A `SendDigits` key.
    SentKey(char),
    /// The beep before a `<Record>`.
    RecordBeep,
    /// A scripted person's key.
    PressedKey(char),
    /// A scripted person talking.
    Voice,
    /// The far end of a `<Dial>` leg, bridged to the callee.
    DialLeg,
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::Greeting => f.write_str("callee recording"),
            Tag::Playback(id) => write!(f, "playback {id}"),
            Tag::SentKey(c) => write!(f, "sent key {c}"),
            Tag::RecordBeep => f.write_str("record beep"),
            Tag::PressedKey(c) => write!(f, "pressed key {c}"),
            Tag::Voice => f.write_str("callee voice"),
            Tag::DialLeg => f.write_str("dialled leg"),
        }
    }
}

/// A clip scheduled on the line.
#[derive(Debug, Clone)]
struct Source {
    tag: Tag,
    clip: Clip,
    /// Line sample at which it starts.
    start: u64,
    /// Plays left after the current one; `None` repeats until stopped.
    repeats: Option<u32>,
    /// Position in the current play.
    pos: usize,
}

/// A source that sounded, with its line samples (end exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// What played.
    pub tag: Tag,
    /// Which way.
    pub direction: Direction,
    /// First sample.
    pub start: u64,
    /// One past the last sample played.
    pub end: u64,
    /// False if it was stopped (or the call ended) before it finished.
    pub completed: bool,
}

/// One direction's mixer.
#[derive(Debug, Default)]
struct Mixer {
    sources: Vec<Source>,
}

impl Mixer {
    /// Mixes the frame starting at line sample `at` into `out` (zeroed first); returns the
    /// sources that finished in it, with the sample where each ended.
    fn render(&mut self, at: u64, out: &mut [f32; FRAME], finished: &mut Vec<(Source, u64)>) {
        out.fill(0.0);
        let mut i = 0;
        while i < self.sources.len() {
            let s = &mut self.sources[i];
            let mut done_at = None;
            for (k, x) in out.iter_mut().enumerate() {
                let t = at + k as u64;
                if t < s.start {
                    continue;
                }
                if s.pos >= s.clip.len() {
                    match s.repeats {
                        Some(0) => {
                            done_at = Some(t);
                            break;
                        }
                        Some(n) => s.repeats = Some(n - 1),
                        None => {}
                    }
                    s.pos = 0;
                    if s.clip.is_empty() {
                        done_at = Some(t);
                        break;
                    }
                }
                *x += s.clip[s.pos];
                s.pos += 1;
            }
            // A clip that ended exactly at the frame's end is finished now, not next frame.
            if done_at.is_none()
                && at + FRAME as u64 > s.start
                && s.pos >= s.clip.len()
                && s.repeats == Some(0)
            {
                done_at = Some(at + FRAME as u64);
            }
            match done_at {
                Some(end) => finished.push((self.sources.swap_remove(i), end)),
                None => i += 1,
            }
        }
        // swap_remove reorders; keep the mix order stable for determinism of float sums.
        self.sources.sort_by_key(|s| s.start);
    }
}

/// Both directions of one connected call.
#[derive(Debug)]
pub struct Line {
    to_callee: Mixer,
    from_callee: Mixer,
    /// The next sample to render.
    cursor: u64,
    /// Where each still-sounding source started sounding (for its span).
    starts: Vec<(Tag, Direction, u64)>,
    spans: Vec<Span>,
    /// Whether rendered audio is kept (see [`Line::keeping_audio`]).
    keep_audio: bool,
    kept_to_callee: Vec<f32>,
    kept_from_callee: Vec<f32>,
}

/// One rendered frame.
#[derive(Debug)]
pub struct Frame {
    /// Line sample of its first sample.
    pub at: u64,
    /// What the callee hears.
    pub to_callee: [f32; FRAME],
    /// What the simulator hears.
    pub from_callee: [f32; FRAME],
    /// Sources that finished in this frame.
    pub finished: Vec<Span>,
}

impl Default for Line {
    fn default() -> Self {
        Self::new()
    }
}

impl Line {
    /// A silent line at sample 0 (the moment of answer) that keeps no audio.
    pub fn new() -> Self {
        Line {
            keep_audio: false,
            to_callee: Mixer::default(),
            from_callee: Mixer::default(),
            cursor: 0,
            starts: Vec::new(),
            spans: Vec::new(),
            kept_to_callee: Vec::new(),
            kept_from_callee: Vec::new(),
        }
    }

    /// A line that also keeps what it renders, both directions, up to 30 minutes each.
    pub fn keeping_audio() -> Self {
        Line {
            keep_audio: true,
            ..Line::new()
        }
    }

    /// The next sample to be rendered (everything before it is on the line).
    pub fn cursor(&self) -> u64 {
        self.cursor
    }

    /// Schedules `clip` in `direction` from line sample `start` (not before the cursor),
    /// played `plays` times (0 = until stopped).
    pub fn schedule(&mut self, direction: Direction, tag: Tag, clip: Clip, start: u64, plays: u32) {
        let source = Source {
            tag,
            clip,
            start: start.max(self.cursor),
            repeats: if plays == 0 { None } else { Some(plays - 1) },
            pos: 0,
        };
        self.starts.push((tag, direction, source.start));
        match direction {
            Direction::ToCallee => self.to_callee.sources.push(source),
            Direction::FromCallee => self.from_callee.sources.push(source),
        }
    }

    /// Stops every source in `direction` matching `which`, now; returns their spans.
    pub fn stop(&mut self, direction: Direction, which: impl Fn(Tag) -> bool) -> Vec<Span> {
        let mixer = match direction {
            Direction::ToCallee => &mut self.to_callee,
            Direction::FromCallee => &mut self.from_callee,
        };
        let (stopped, kept): (Vec<Source>, Vec<Source>) =
            mixer.sources.drain(..).partition(|s| which(s.tag));
        mixer.sources = kept;
        let cursor = self.cursor;
        stopped
            .into_iter()
            .filter(|s| s.start < cursor)
            .map(|s| self.close(s.tag, direction, cursor, false))
            .collect()
    }

    /// Stops everything (the call ended); returns the spans of what was sounding.
    pub fn hang_up(&mut self) -> Vec<Span> {
        let mut spans = self.stop(Direction::ToCallee, |_| true);
        spans.extend(self.stop(Direction::FromCallee, |_| true));
        self.starts.clear();
        spans
    }

    /// Renders the next frame of both directions.
    pub fn render(&mut self) -> Frame {
        let at = self.cursor;
        let mut to_callee = [0.0; FRAME];
        let mut from_callee = [0.0; FRAME];
        let mut finished_to = Vec::new();
        let mut finished_from = Vec::new();
        self.to_callee.render(at, &mut to_callee, &mut finished_to);
        self.from_callee
            .render(at, &mut from_callee, &mut finished_from);
        self.cursor += FRAME as u64;
        if self.keep_audio {
            keep(&mut self.kept_to_callee, &to_callee);
            keep(&mut self.kept_from_callee, &from_callee);
        }
        let mut finished = Vec::new();
        for (s, end) in finished_to {
            finished.push(self.close(s.tag, Direction::ToCallee, end, true));
        }
        for (s, end) in finished_from {
            finished.push(self.close(s.tag, Direction::FromCallee, end, true));
        }
        Frame {
            at,
            to_callee,
            from_callee,
            finished,
        }
    }

    /// Records the span of a source that ended at `end`.
    fn close(&mut self, tag: Tag, direction: Direction, end: u64, completed: bool) -> Span {
        let start = match self
            .starts
            .iter()
            .position(|&(t, d, _)| t == tag && d == direction)
        {
            Some(i) => self.starts.remove(i).2,
            None => end,
        };
        let span = Span {
            tag,
            direction,
            start,
            end: end.max(start),
            completed,
        };
        self.spans.push(span);
        span
    }

    /// Every source that has finished or been stopped, in the order they ended.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The audio sent to the callee so far (8 kHz mono, from the answer; at most 30 min);
    /// empty unless the line was made [`keeping_audio`](Self::keeping_audio).
    pub fn to_callee_audio(&self) -> &[f32] {
        &self.kept_to_callee
    }

    /// The audio heard from the callee so far (8 kHz mono, from the answer; at most 30 min);
    /// empty unless the line was made [`keeping_audio`](Self::keeping_audio).
    pub fn from_callee_audio(&self) -> &[f32] {
        &self.kept_from_callee
    }
}

fn keep(kept: &mut Vec<f32>, frame: &[f32]) {
    if kept.len() + frame.len() <= MAX_KEPT_SAMPLES {
        kept.extend_from_slice(frame);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(n: usize, v: f32) -> Clip {
        vec![v; n].into()
    }

    #[test]
    fn sources_start_on_their_sample_and_finish_with_a_span() {
        let mut line = Line::new();
        line.schedule(Direction::ToCallee, Tag::RecordBeep, clip(100, 1.0), 50, 1);
        let f = line.render();
        assert_eq!(f.to_callee[49], 0.0);
        assert_eq!(f.to_callee[50], 1.0);
        assert!(f.finished.is_empty());
        let f = line.render();
        assert_eq!(f.to_callee[69], 1.0);
        assert_eq!(f.to_callee[70], 0.0);
        assert_eq!(
            f.finished,
            vec![Span {
                tag: Tag::RecordBeep,
                direction: Direction::ToCallee,
                start: 50,
                end: 150,
                completed: true
            }]
        );
    }

    #[test]
    fn loops_repeat_and_stop_cuts() {
        let mut line = Line::keeping_audio();
        let id = PlaybackId(1);
        line.schedule(Direction::ToCallee, Tag::Playback(id), clip(40, 0.5), 0, 3);
        let f = line.render();
        assert_eq!(f.to_callee[79], 0.5);
        let f = line.render();
        assert_eq!(f.finished.len(), 1);
        assert_eq!(f.finished[0].end, 120);
        line.schedule(Direction::ToCallee, Tag::Playback(id), clip(40, 0.5), 0, 0);
        for _ in 0..10 {
            assert!(line.render().finished.is_empty());
        }
        let spans = line.stop(Direction::ToCallee, |t| t == Tag::Playback(id));
        assert_eq!(spans.len(), 1);
        assert!(!spans[0].completed);
        assert_eq!(line.to_callee_audio().len(), 12 * FRAME);
    }
}
