//! Approval gates: resolution options, roles and authority.

mod authority;
mod resolution;

pub use authority::{AuthorityLimits, Role};
pub use resolution::{PolicyRef, ResolutionKind, ResolutionOption};
