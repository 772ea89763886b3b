//! One call's task: the driving loop of the simulation (see the harness's `sim` module
//! docs for the protocol).
//!
//! ```text
//! loop: step (blocking pool) → store new recordings → perform outputs → store status
//!       → wait for: shutdown | API command | app/media reply | next deadline
//! ```
//!
//! App requests run as their own tasks and report back over a channel, so a slow app
//! never stops the call's timers (the call's own fetch timeout applies). With the fast
//! clock, simulated time stands still while a reply is awaited and otherwise jumps from
//! deadline to deadline.

use std::sync::{Arc, PoisonError};

use ringside_call::{Call, CallEvent, CreateCallRequest, FetchPurpose, Instant};
use ringside_sim::{Clip, SimConfig, SimOutput, Simulation};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

use super::Engine;
use super::clock::Clock;
use super::persist::Persist;
use super::step::{Input, step};
use crate::account::Account;
use crate::date::{now_ms, rfc2822};
use crate::error::ServerError;
use crate::resources::CallRecord;
use crate::running_calls::{Command, LiveHandle};
use crate::store::Store;
use crate::webhook::{AppRequest, FetchError, WebhookClient};

/// With the real clock, the shortest wait between steps: 20 ms, two audio frames. Each
/// step catches up on every frame due, so this only batches work (halving wake-ups with
/// many calls) and delays nothing by more than 20 ms.
const MIN_TICK: std::time::Duration = std::time::Duration::from_millis(20);

/// Runs one call to its end and records it; never fails outward (a driver error marks the
/// call failed).
pub(super) async fn run_call(
    engine: Arc<Engine>,
    store: Store,
    account: Account,
    record: CallRecord,
    request: CreateCallRequest,
    mut live: LiveHandle,
) {
    let sid = record.sid;
    let mut persist = Persist::new(store, record);
    if let Err(e) = drive(&engine, &account, request, &mut live, &mut persist).await {
        tracing::error!(call = %sid, error = %e, "call driver failed; marking the call failed");
        if !persist.record().status.is_final()
            && let Err(e) = persist.fail().await
        {
            tracing::error!(call = %sid, error = %e, "could not record the failed call");
        }
    }
    drop(live);
}

async fn drive(
    engine: &Engine,
    account: &Account,
    request: CreateCallRequest,
    live: &mut LiveHandle,
    persist: &mut Persist,
) -> Result<(), ServerError> {
    let sid = persist.record().sid;
    let entry = engine.phonebook.lookup(&request.called).clone();
    let clips = Arc::clone(&engine.clips);
    let far = tokio::task::spawn_blocking(move || {
        clips
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .far_end(&entry)
    })
    .await?
    .map_err(|e| ServerError::internal(format!("loading the callee's audio: {e}")))?;
    let mut config = SimConfig {
        recording_url_prefix: engine.recording_url_prefix(account.sid, &request.api),
        ..SimConfig::default()
    };
    if let Some(md) = request
        .api
        .v2010()
        .and_then(|a| a.machine_detection.as_ref())
    {
        let default_total = config.detector.total_analysis_ms;
        config.tune(&md.tuning(default_total));
    }
    let call = Call::new(
        sid,
        account.sid,
        request,
        engine.call_config.clone(),
        Instant::ZERO,
    );
    let mut sim = Simulation::new(call, far, config)
        .map_err(|e| ServerError::internal(format!("detector settings: {e}")))?;

    let mut clock = Clock::new(engine.clock());
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<Input>();
    let mut replies = JoinSet::new();
    let mut notifies = JoinSet::new();
    // Status callbacks go out one at a time, in the order the call made them, so an app
    // sees `initiated`, `ringing`, `in-progress`, `completed` as they happened (a slow
    // callback delays the next one, never the call).
    let (status_tx, mut status_rx) = mpsc::unbounded_channel::<AppRequest>();
    {
        let client = engine.webhooks.clone();
        let token = account.token.clone();
        notifies.spawn(async move {
            while let Some(request) = status_rx.recv().await {
                if let Err(reason) = client.fetch(&token, &request).await {
                    let reason = reason.to_string();
                    tracing::info!(call = %sid, %reason, "status callback failed");
                }
            }
        });
    }
    let mut awaiting = 0usize;
    let mut inputs = vec![Input::Start];
    let mut hung_up = *live.shutdown.borrow_and_update();
    if hung_up {
        inputs.push(Input::Event(CallEvent::OperatorHangup));
    }
    loop {
        let now = clock.now();
        let jump = clock.is_fast() && awaiting == 0;
        let batch = std::mem::take(&mut inputs);
        let stepped = tokio::task::spawn_blocking(move || step(sim, batch, now, jump)).await?;
        sim = stepped.sim;
        clock.observe(stepped.now);
        let stepped_at = tokio::time::Instant::now();

        persist.sync_recordings(&sim).await?;
        for output in stepped.outputs {
            match output {
                SimOutput::FetchApp {
                    id,
                    url,
                    method,
                    mut params,
                    purpose,
                } => {
                    if purpose == FetchPurpose::StatusCallback {
                        // The one parameter the call machine cannot give: it has no
                        // wall clock.
                        params.push(("Timestamp".to_owned(), rfc2822(now_ms())));
                    }
                    let request = AppRequest {
                        url,
                        method,
                        params,
                    };
                    let client = engine.webhooks.clone();
                    let token = account.token.clone();
                    if purpose == FetchPurpose::StatusCallback {
                        // The queue's task outlives the loop; a send fails only if it died.
                        let _ = status_tx.send(request);
                    } else if !purpose.expects_twiml() {
                        // A notification, the action of a recording the callee hung up on,
                        // a transcription: the reply is ignored, but the request is still
                        // made for real and waited for before the call's task ends.
                        notifies.spawn(async move {
                            if let Err(reason) = client.fetch(&token, &request).await {
                                let reason = reason.to_string();
                                tracing::info!(call = %sid, %reason, "notify request failed");
                            }
                        });
                    } else {
                        awaiting += 1;
                        let tx = done_tx.clone();
                        replies.spawn(async move {
                            let input = match client.fetch(&token, &request).await {
                                Ok(reply) => Input::AppResponded { id, reply },
                                Err(e) => Input::AppFailed {
                                    id,
                                    code: e.error_code(),
                                    reason: e.to_string(),
                                },
                            };
                            let _ = tx.send(input);
                        });
                    }
                }
                SimOutput::FetchMedia { id, url } => {
                    awaiting += 1;
                    let client = engine.webhooks.clone();
                    let tx = done_tx.clone();
                    replies.spawn(async move {
                        let input = match load_media(&client, &url).await {
                            Ok(clip) => Input::MediaLoaded { id, clip },
                            Err(e) => Input::MediaFailed {
                                id,
                                reason: e.to_string(),
                            },
                        };
                        let _ = tx.send(input);
                    });
                }
                SimOutput::DialLeg {
                    segment_sid,
                    number,
                } => {
                    // The dialled number's far end, as for the called number: the phone
                    // book's entry, its audio decoded on the blocking pool.
                    awaiting += 1;
                    let entry = engine.phonebook.lookup(&number).clone();
                    let clips = Arc::clone(&engine.clips);
                    let tx = done_tx.clone();
                    replies.spawn(async move {
                        let loaded = tokio::task::spawn_blocking(move || {
                            clips
                                .lock()
                                .unwrap_or_else(PoisonError::into_inner)
                                .far_end(&entry)
                        })
                        .await;
                        let loaded = loaded
                            .map_err(|e| e.to_string())
                            .and_then(|r| r.map_err(|e| e.to_string()));
                        let input = match loaded {
                            Ok(far) => Input::LegResolved {
                                segment_sid,
                                far: Box::new(far),
                            },
                            Err(e) => Input::LegFailed {
                                segment_sid,
                                reason: format!("loading the far end of {number}: {e}"),
                            },
                        };
                        let _ = tx.send(input);
                    });
                }
                SimOutput::Notify(n) => persist.notification(&n).await?,
                SimOutput::Ended { status } => {
                    tracing::debug!(call = %sid, %status, "call ended");
                    persist.save_tape(&sim).await?;
                }
            }
        }
        persist.sync_segments(&sim).await?;
        persist.sync_status(&sim).await?;
        if sim.is_finished() {
            break;
        }

        let deadline = if clock.is_fast() {
            (awaiting == 0).then(tokio::time::Instant::now)
        } else {
            sim.poll_timeout()
                .map(|t| clock.deadline(t).max(stepped_at + MIN_TICK))
        };
        tokio::select! {
            biased;
            _ = live.shutdown.changed(), if !hung_up => {
                hung_up = true;
                inputs.push(Input::Event(CallEvent::OperatorHangup));
            }
            Some(command) = live.commands.recv() => {
                let event = match command {
                    Command::Redirect { url, method } => CallEvent::Redirect {
                        url: url.into(),
                        method,
                    },
                    Command::Cancel => CallEvent::Cancel,
                    Command::Hangup => CallEvent::OperatorHangup,
                    Command::Twiml(doc) => CallEvent::Twiml(doc),
                };
                inputs.push(Input::Event(event));
            }
            Some(done) = done_rx.recv() => {
                awaiting = awaiting.saturating_sub(1);
                inputs.push(done);
            }
            () = sleep_until(deadline) => {}
        }
    }
    // Replies nobody waits for any more are dropped; notify requests are let finish (each
    // is bounded by the webhook timeout), so a test or a shutdown sees them delivered.
    replies.abort_all();
    // No more status callbacks: the queue's task sends what is left and ends.
    drop(status_tx);
    while notifies.join_next().await.is_some() {}
    Ok(())
}

/// Sleeps until `deadline`, or forever without one.
async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}

/// Why `<Play>` audio could not be played; the simulation notes it and skips the prompt.
#[derive(Debug, thiserror::Error)]
enum MediaError {
    /// The download failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The bytes are not audio we decode (the error names the URL).
    #[error(transparent)]
    Decode(#[from] ringside_audio::AudioError),
    /// The decoding task died; a bug on our side.
    #[error("decoding the audio: {0}")]
    Worker(#[from] tokio::task::JoinError),
}

/// Downloads and decodes `<Play>` audio, in any format ringside-audio reads (WAV, G.711
/// WAV, MP3, FLAC, Ogg Vorbis, M4A), to 8 kHz mono.
async fn load_media(client: &WebhookClient, url: &ringside_call::Url) -> Result<Clip, MediaError> {
    let bytes = client.fetch_media(url).await?;
    let name = url.to_string();
    let samples = tokio::task::spawn_blocking(move || {
        ringside_audio::decode_bytes(&bytes, ringside_audio::LINE_RATE, &name)
    })
    .await??;
    Ok(samples.into())
}
