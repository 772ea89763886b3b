//! The calls running right now: how a request reaches a call's driver, and how shutdown
//! waits for every driver to record its call's end.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ringside_call::{CallSid, Method, Url};
use tokio::sync::{Notify, mpsc, watch};

/// What the REST API can ask of a running call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `POST …/Calls/{CallSid}` with `CurrentUrl`: run the TwiML there instead.
    Redirect {
        /// The new document.
        url: Url,
        /// How to request it.
        method: Method,
    },
    /// 2010 `Status=canceled`: cancel the call if not yet answered.
    Cancel,
    /// 2010 `Status=completed`: hang up.
    Hangup,
    /// 2010 `Twiml`: run this document instead.
    Twiml(Arc<str>),
}

/// Registry of running calls and the shutdown signal they all watch.
#[derive(Debug)]
pub struct LiveCalls {
    senders: Mutex<HashMap<CallSid, mpsc::UnboundedSender<Command>>>,
    running: AtomicUsize,
    idle: Notify,
    shutdown: watch::Sender<bool>,
}

impl Default for LiveCalls {
    fn default() -> Self {
        LiveCalls {
            senders: Mutex::new(HashMap::new()),
            running: AtomicUsize::new(0),
            idle: Notify::new(),
            shutdown: watch::Sender::new(false),
        }
    }
}

/// A running call's side of the registry; dropping it unregisters the call.
#[derive(Debug)]
pub struct LiveHandle {
    live: Arc<LiveCalls>,
    sid: CallSid,
    /// Commands from the API.
    pub commands: mpsc::UnboundedReceiver<Command>,
    /// Becomes true when the server shuts down.
    pub shutdown: watch::Receiver<bool>,
}

impl LiveCalls {
    fn senders(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<CallSid, mpsc::UnboundedSender<Command>>> {
        // The map stays consistent even if a holder panicked: every update is one insert
        // or remove.
        self.senders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a call about to run.
    pub fn register(self: &Arc<Self>, sid: CallSid) -> LiveHandle {
        let (tx, rx) = mpsc::unbounded_channel();
        self.senders().insert(sid, tx);
        self.running.fetch_add(1, Ordering::SeqCst);
        LiveHandle {
            live: Arc::clone(self),
            sid,
            commands: rx,
            shutdown: self.shutdown.subscribe(),
        }
    }

    /// Sends `command` to the call; false if it is not running.
    pub fn send(&self, sid: CallSid, command: Command) -> bool {
        self.senders()
            .get(&sid)
            .is_some_and(|tx| tx.send(command).is_ok())
    }

    /// How many calls are running.
    pub fn running(&self) -> usize {
        self.running.load(Ordering::SeqCst)
    }

    /// Tells every call to end, and refuses nothing else: new calls still see the flag.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// True once shutdown has begun.
    pub fn shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Waits until no call is running.
    pub async fn wait_idle(&self) {
        loop {
            let notified = self.idle.notified();
            if self.running() == 0 {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for LiveHandle {
    fn drop(&mut self) {
        self.live.senders().remove(&self.sid);
        if self.live.running.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.live.idle.notify_waiters();
        }
    }
}
