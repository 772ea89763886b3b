//! The special information tone (SIT) that opens a network intercept announcement
//! ("the number you have dialled is not in service").
//!
//! Why a receiver of its own: the three notes (913.8 or 985.2, then 1370.6 or 1428.5, then
//! 1776.7 Hz, 274 or 380 ms each, ITU-T E.180 / ANSI T1.401) follow each other without a
//! gap, so the FFT frame that straddles a change holds both notes and the tone tracker
//! joins them into one run. Frame by frame the main frequency still steps through the three
//! bands in order, which is what this receiver follows. What comes after a SIT is a
//! recording played by the network, never a person: the verdict is machine.
//!
//! No voice or music holds a pure tone within 1.5 % of each of these three frequencies,
//! in this order, for 150–500 ms each; a voicemail beep that is a sequence of notes is
//! heard after a greeting and never has all three.

use crate::beep::sit_part;

/// Frames (10 ms) a note must be held before the next may follow: the shortest note is
/// 274 ms, and a frame or two at each change are shared with the neighbour.
const MIN_NOTE_FRAMES: u16 = 15;
/// Frames a note may last at most (380 ms, with the frames shared at its edges).
const MAX_NOTE_FRAMES: u16 = 50;
/// Frames without the expected note (a straddling frame, a dropout) before the sequence is
/// abandoned.
const MAX_MISSES: u8 = 3;

/// Follows the three notes frame by frame.
#[derive(Debug, Clone, Default)]
pub(crate) struct SitReceiver {
    /// Notes completed so far plus the one being held (0: none yet).
    note: u8,
    frames: u16,
    misses: u8,
}

impl SitReceiver {
    /// Feeds one frame's main tonal frequency (`None` when the frame held no tone).
    /// Returns true on the frame where the third note has been held long enough.
    pub(crate) fn update(&mut self, freq: Option<f32>) -> bool {
        let part = freq.and_then(sit_part).map(|p| p as u8 + 1);
        match part {
            Some(p) if p == self.note => {
                // A note held too long (a steady tone) saturates and lets no next note in.
                self.frames = self.frames.saturating_add(1);
                self.misses = 0;
                if p == 3 && self.frames == MIN_NOTE_FRAMES {
                    *self = Self::default();
                    return true;
                }
            }
            Some(p)
                if p == self.note + 1
                    && (self.note == 0
                        || (MIN_NOTE_FRAMES..=MAX_NOTE_FRAMES).contains(&self.frames)) =>
            {
                self.note = p;
                self.frames = 1;
                self.misses = 0;
            }
            _ => {
                // Saturating: with no note begun, frames without one can run for hours.
                self.misses = self.misses.saturating_add(1);
                if self.note > 0 && self.misses > MAX_MISSES {
                    *self = Self::default();
                }
                if part == Some(1) {
                    self.note = 1;
                    self.frames = 1;
                    self.misses = 0;
                }
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(rx: &mut SitReceiver, freq: Option<f32>, frames: u32) -> u32 {
        (0..frames).filter(|_| rx.update(freq)).count() as u32
    }

    #[test]
    fn the_three_notes_in_order_are_a_sit() {
        for (a, b) in [(913.8, 1370.6), (985.2, 1428.5)] {
            let mut rx = SitReceiver::default();
            let mut hits = feed(&mut rx, Some(a), 27);
            hits += feed(&mut rx, None, 1);
            hits += feed(&mut rx, Some(b), 27);
            hits += feed(&mut rx, Some(1776.7), 38);
            assert_eq!(hits, 1);
        }
    }

    #[test]
    fn notes_out_of_order_too_short_or_held_are_not() {
        let mut rx = SitReceiver::default();
        let mut hits = feed(&mut rx, Some(1370.6), 27);
        hits += feed(&mut rx, Some(913.8), 27);
        hits += feed(&mut rx, Some(1776.7), 38);
        // Too short a first note.
        hits += feed(&mut rx, Some(913.8), 8);
        hits += feed(&mut rx, Some(1370.6), 27);
        hits += feed(&mut rx, Some(1776.7), 38);
        // A held first note (a steady tone of seconds).
        hits += feed(&mut rx, Some(913.8), 200);
        hits += feed(&mut rx, Some(1370.6), 27);
        hits += feed(&mut rx, Some(1776.7), 38);
        // Two notes only, then something else.
        hits += feed(&mut rx, Some(913.8), 27);
        hits += feed(&mut rx, Some(1370.6), 27);
        hits += feed(&mut rx, Some(1200.0), 38);
        assert_eq!(hits, 0);
    }

    /// Regression: a long stretch without any SIT note (an hour of speech) overflowed the
    /// miss counter.
    #[test]
    fn hours_without_a_note_are_fine_and_a_sit_still_follows() {
        let mut rx = SitReceiver::default();
        let mut hits = feed(&mut rx, None, 360_000);
        hits += feed(&mut rx, Some(440.0), 1000);
        hits += feed(&mut rx, Some(913.8), 27);
        hits += feed(&mut rx, Some(1370.6), 27);
        hits += feed(&mut rx, Some(1776.7), 38);
        assert_eq!(hits, 1);
    }
}
