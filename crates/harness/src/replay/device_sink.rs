//! The sound card as a [`Sink`]: rodio's default output device (cpal; ALSA on Linux).
//!
//! Only built with the `playback` feature, because cpal links the system's ALSA library
//! and the default build must need no system packages. Opening fails cleanly (an error,
//! not a panic) on a machine without a sound device; ALSA may still print its own
//! complaints to stderr, which we cannot silence from here.

use std::num::NonZero;

use rodio::buffer::SamplesBuffer;
use rodio::{DeviceSinkBuilder, MixerDeviceSink, Player};

use super::listener::{PlaybackError, Sink};

/// The default sound output.
pub struct DeviceSink {
    /// Kept alive: dropping it stops the sound.
    _device: MixerDeviceSink,
    player: Player,
}

impl std::fmt::Debug for DeviceSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceSink").finish_non_exhaustive()
    }
}

impl DeviceSink {
    /// Opens the system's default output device.
    pub fn open_default() -> Result<Self, PlaybackError> {
        let mut device = DeviceSinkBuilder::open_default_sink()
            .map_err(|e| PlaybackError::NoDevice(e.to_string()))?;
        device.log_on_drop(false);
        let player = Player::connect_new(device.mixer());
        Ok(Self {
            _device: device,
            player,
        })
    }
}

impl Sink for DeviceSink {
    fn play(&mut self, samples: &[f32], rate: u32) -> Result<(), PlaybackError> {
        if samples.is_empty() {
            return Ok(());
        }
        let rate =
            NonZero::new(rate).ok_or_else(|| PlaybackError::Device("sample rate 0".to_owned()))?;
        // One small buffer per chunk (100 ms): the cost of playback, not of detection.
        self.player.append(SamplesBuffer::new(
            NonZero::<u16>::MIN,
            rate,
            samples.to_vec(),
        ));
        Ok(())
    }

    fn drain(&mut self) -> Result<(), PlaybackError> {
        self.player.sleep_until_end();
        Ok(())
    }
}
