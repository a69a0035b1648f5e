//! Moving the conversation to another channel (a public post taken to a private one).

use crate::case::command::Intent;
use crate::case::decision::{Decide, Decision, Recorder};
use crate::case::event::EventKind;
use crate::case::rejection::Rejection;
use crate::channel::Channel;
use serde::{Deserialize, Serialize};

/// Move the conversation to another channel:
/// `{"command":"change_channel","channel":{"medium":"phone"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeChannel {
    /// The new channel.
    pub channel: Channel,
}

impl Decide for ChangeChannel {
    fn intent(&self) -> Intent {
        Intent::ChangeChannel
    }
    fn decide(&self, at: &Decision<'_>, out: &mut Recorder) -> Result<(), Rejection> {
        if &self.channel == at.case.channel() {
            return Err(Rejection::SameChannel);
        }
        out.record(EventKind::ChannelChanged {
            from: at.case.channel().clone(),
            to: self.channel.clone(),
        });
        Ok(())
    }
}
