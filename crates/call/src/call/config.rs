//! `CallConfig`: the call machine's knobs that the 2008 API does not fix.

use crate::time::Duration;

/// Limits and timings of a [`Call`](super::Call) that the API leaves to the service.
///
/// The defaults are what ringside ships with; each field says where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallConfig {
    /// How long each `SendDigits` key should sound. Advice for the driver that synthesises
    /// the tone; 100 ms is well above the 40 ms minimum of ITU-T Q.24 and what carriers use
    /// for automatic dialling. Default 100 ms.
    pub digit_tone: Duration,
    /// From the start of one `SendDigits` key to the start of the next (tone plus gap);
    /// also how long after the last key the first app request waits. Default 200 ms.
    pub digit_period: Duration,
    /// The longest wait for the detector's verdict after answer; past it the verdict is
    /// taken as `Unknown` (and handled like a human). Default 30 s, well past the detector's
    /// own decision deadline, so it only catches a driver that never reports one.
    pub detection_timeout: Duration,
    /// The longest wait for the end of a machine's greeting after the `Machine` verdict;
    /// past it the greeting is taken to have ended (`Timeout`). Default 60 s: voicemail
    /// greetings are capped at 30–60 s by common voicemail systems.
    pub greeting_timeout: Duration,
    /// The longest wait for the app to answer a request; past it the call fails with
    /// error 11200. Default 15 s, Twilio's documented TwiML fetch timeout.
    pub fetch_timeout: Duration,
    /// The longest call from answer to hang-up. Default 4 h, the 2008 service's cap (also
    /// the default `<Dial timeLimit>`).
    pub max_call_length: Duration,
    /// The most app requests in a row with nothing played, gathered, recorded or dialled in
    /// between (a `<Redirect>` loop); one more fails the call with error 11215. Default 20.
    pub max_fetches_without_progress: u32,
    /// With `IfMachine=Continue`, a greeting that ended by silence may still be followed by
    /// its beep (some boxes pause seconds before the tone). When this is on, detection keeps
    /// running for [`late_beep_window`](Self::late_beep_window) after such an end; a beep
    /// that comes in that window restarts the `answered-machine` flow after the beep: what
    /// is playing is stopped and the app is requested again (with `DialStatus`
    /// `answered-machine`), so the message lands on the tape whole. No peer service does
    /// this; turn it off to keep the first flow whatever follows. Default on.
    pub restart_on_late_beep: bool,
    /// How long after a greeting end by silence a late beep restarts the flow. Default
    /// 10 s, the detector's own late-beep window (`late_beep_ms`).
    pub late_beep_window: Duration,
    /// The `<Record playBeep>` tone's length; recording (and `maxLength`) starts after it.
    /// Default 500 ms, the 2008 service's beep.
    pub record_beep: Duration,
}

impl Default for CallConfig {
    fn default() -> Self {
        CallConfig {
            digit_tone: Duration::from_millis(100),
            digit_period: Duration::from_millis(200),
            detection_timeout: Duration::from_secs(30),
            greeting_timeout: Duration::from_secs(60),
            fetch_timeout: Duration::from_secs(15),
            max_call_length: Duration::from_secs(4 * 3600),
            max_fetches_without_progress: 20,
            restart_on_late_beep: true,
            late_beep_window: Duration::from_secs(10),
            record_beep: Duration::from_millis(500),
        }
    }
}
