//! Interleaved multi-channel frames → mono.
//!
//! The mean of the channels, not the sum: a stereo file with the same signal on both sides
//! keeps its level, so level-based thresholds in the detector mean the same for mono and
//! stereo input. (A call recorded with caller and callee on separate channels should be
//! split rather than mixed; that is a different tool.)

/// Replaces `mono` with the per-frame mean of `interleaved` (`channels` samples per frame).
///
/// `channels == 1` copies. A trailing partial frame is ignored.
pub fn downmix(interleaved: &[f32], channels: usize, mono: &mut Vec<f32>) {
    mono.clear();
    match channels {
        0 => {}
        1 => mono.extend_from_slice(interleaved),
        n => {
            let scale = 1.0 / n as f32;
            mono.extend(
                interleaved
                    .chunks_exact(n)
                    .map(|frame| frame.iter().sum::<f32>() * scale),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mono_is_copied() {
        let mut out = vec![9.0];
        downmix(&[0.1, -0.2, 0.3], 1, &mut out);
        assert_eq!(out, [0.1, -0.2, 0.3]);
    }

    #[test]
    fn stereo_is_averaged() {
        let mut out = Vec::new();
        downmix(&[1.0, 0.0, 0.5, 0.5, -1.0, 1.0], 2, &mut out);
        assert_eq!(out, [0.5, 0.5, 0.0]);
    }

    #[test]
    fn identical_channels_keep_their_level() {
        let mut out = Vec::new();
        let six: Vec<f32> = [0.25f32, -0.75].iter().flat_map(|&v| [v; 6]).collect();
        downmix(&six, 6, &mut out);
        assert_eq!(out, [0.25, -0.75]);
    }

    #[test]
    fn partial_trailing_frame_is_dropped() {
        let mut out = Vec::new();
        downmix(&[0.2, 0.4, 0.6], 2, &mut out);
        assert_eq!(out.len(), 1);
        assert!((out[0] - 0.3).abs() < 1e-6);
    }
}
