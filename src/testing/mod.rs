//! Fixtures for tests: the crate's own, and downstream products' integration tests.
//!
//! One set of people, cases, options and commands, each name with one meaning, so a
//! host's tests read like the crate's: [`dana`] is a front-line agent who may offer up
//! to USD 50.00 alone, [`mo`] a manager, [`open_case`] Amara Okafor's parcel sent to
//! the wrong address, [`open_airline_case`] Walter Grant's refused refund under the
//! [`airline_policy`]. Times are minutes after [`t0`], 2026-03-02 14:00 UTC.
//!
//! ```
//! use service_recovery::prelude::*;
//! use service_recovery::scenario::Scenario;
//! use service_recovery::testing::*;
//!
//! // Offering USD 420.00 on a non-refundable fare needs a supervisor and a manager's
//! // waiver first: the offer is refused with the `approval_needed` code.
//! Scenario::new(airline_policy())
//!     .given_commands(&dana(), at(0), airline_ready())?
//!     .given_command(&dana(), at(1), propose("o-1", waiver_refund()))?
//!     .when(&dana(), at(2), offer("o-1"))
//!     .then_rejected_with("approval_needed")?;
//! # Ok::<(), service_recovery::scenario::ScenarioFailure>(())
//! ```

mod fixtures;

pub use fixtures::*;

pub mod store_conformance;
