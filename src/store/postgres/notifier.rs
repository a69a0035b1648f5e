//! Announcing appends to [`FeedListener`](super::FeedListener)s from a thread of the
//! store's own, after the appends commit.
//!
//! PostgreSQL serializes the commits of all transactions that notify, in the whole
//! database, and holds that lock until the commit is on disk: a notification sent
//! inside every append would make appends commit one at a time, each waiting for its
//! own disk flush, instead of sharing flushes (group commit). So an append commits
//! without notifying and then signals this thread, which sends the notification in a
//! transaction of its own. Signals that arrive while a notification is being sent
//! are coalesced into the next one: a listener learns "something was appended since
//! you last read", never what, so one notification covers them all. Every append is
//! followed by a notification sent after it committed.
//!
//! The notifying transactions commit with `synchronous_commit = off`: they write no
//! data, so there is nothing to make durable, and not waiting for the disk keeps
//! them from adding flushes and from holding the lock on notifying commits through
//! one. (The appends keep the server's setting.)
//!
//! A notification lost to a failed connection is not retried (the next append sends
//! one; the connection is opened again); a listener's wait then ends by its timeout
//! and it polls, as it does for a notification lost any other way.

use postgres::{Client, Config, NoTls};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// The store's side of the notifying thread. Dropping it ends the thread.
#[derive(Debug)]
pub(super) struct Notifier {
    signal: SyncSender<()>,
}

impl Notifier {
    /// Starts the thread; it connects with `config` when the first append is
    /// announced and sends `statement` (which notifies) for each announcement.
    pub(super) fn start(config: Config, statement: String) -> std::io::Result<Self> {
        let (signal, wake) = sync_channel(1);
        std::thread::Builder::new()
            .name("service-recovery-notify".to_owned())
            .spawn(move || announce_appends(&config, &statement, &wake))?;
        Ok(Self { signal })
    }

    /// Announces an append that has committed.
    pub(super) fn announce(&self) {
        match self.signal.try_send(()) {
            // Full: an announcement is waiting, and the notification it causes is
            // sent after now, so it covers this append too.
            Ok(()) | Err(TrySendError::Full(())) => {}
            // The thread failed to start a connection's runtime and ended: listeners
            // poll.
            Err(TrySendError::Disconnected(())) => {}
        }
    }
}

/// A connection whose transactions do not wait for their commit to reach the disk:
/// a notification carries no data, and one lost in a crash only makes a listener
/// poll. Waiting would cost a disk flush per notification, with PostgreSQL's lock on
/// notifying commits held all the while.
fn connect(config: &Config) -> Option<Client> {
    let mut client = config.connect(NoTls).ok()?;
    client
        .batch_execute("SET synchronous_commit = off")
        .ok()
        .map(|()| client)
}

fn announce_appends(config: &Config, statement: &str, wake: &Receiver<()>) {
    let mut client: Option<Client> = None;
    while wake.recv().is_ok() {
        if client.as_ref().is_none_or(Client::is_closed) {
            client = connect(config);
        }
        let failed = client
            .as_mut()
            .is_some_and(|connected| connected.batch_execute(statement).is_err());
        if failed {
            client = None;
        }
    }
}
