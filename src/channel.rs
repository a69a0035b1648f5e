//! Where the customer talks to the business.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The channel a complaint arrived on, or the one the conversation moved to.
///
/// Serialized with a `medium` tag, for example `{"medium":"phone"}` or
/// `{"medium":"social_media","platform":"Mastodon","public":true}`.
/// Unknown fields are refused, also beside the media that have none
/// (`{"medium":"phone","number":"..."}` is an error).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "medium", rename_all = "snake_case", from = "StrictChannel")]
pub enum Channel {
    /// A telephone call.
    Phone,
    /// E-mail.
    Email,
    /// Live chat.
    Chat,
    /// Face to face: a desk, a shop, a gate.
    InPerson,
    /// A form on the web site or in the app.
    WebForm,
    /// A social-media platform.
    SocialMedia {
        /// The platform's name.
        platform: String,
        /// Whether the complaint is visible to the public: this raises priority.
        public: bool,
    },
}

/// The wire form read strictly: serde lets a unit variant of an internally tagged enum
/// ignore any other field, so every medium is read as a struct variant that refuses them.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(tag = "medium", rename_all = "snake_case", deny_unknown_fields)]
enum StrictChannel {
    Phone {},
    Email {},
    Chat {},
    InPerson {},
    WebForm {},
    SocialMedia { platform: String, public: bool },
}

impl From<StrictChannel> for Channel {
    fn from(wire: StrictChannel) -> Self {
        match wire {
            StrictChannel::Phone {} => Self::Phone,
            StrictChannel::Email {} => Self::Email,
            StrictChannel::Chat {} => Self::Chat,
            StrictChannel::InPerson {} => Self::InPerson,
            StrictChannel::WebForm {} => Self::WebForm,
            StrictChannel::SocialMedia { platform, public } => {
                Self::SocialMedia { platform, public }
            }
        }
    }
}

impl Channel {
    /// Whether a complaint on this channel is visible to the public.
    pub fn is_public(&self) -> bool {
        matches!(self, Self::SocialMedia { public: true, .. })
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Phone => f.write_str("phone"),
            Self::Email => f.write_str("e-mail"),
            Self::Chat => f.write_str("chat"),
            Self::InPerson => f.write_str("in person"),
            Self::WebForm => f.write_str("web form"),
            Self::SocialMedia { platform, public } => {
                let visibility = if *public { "public" } else { "private" };
                write!(f, "{platform} ({visibility})")
            }
        }
    }
}
