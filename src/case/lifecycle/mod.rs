//! A case's life: intake, ownership, channel, escalation, withdrawal, closing and
//! reopening.

mod change_channel;
mod close;
mod escalate;
mod open;
mod reassign;
mod reopen;
mod withdraw;

pub use change_channel::ChangeChannel;
pub(crate) use close::check_ready_to_close;
pub use close::{Close, RootCause};
pub use escalate::Escalate;
pub use open::OpenCase;
pub use reassign::Reassign;
pub use reopen::Reopen;
pub use withdraw::Withdraw;
