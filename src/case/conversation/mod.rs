//! The conversation with the customer: thanks, apology, clarifying questions and the
//! customer's goal, the explanation, final thanks, and internal notes.

mod note;
mod questions;
mod words;

pub use note::AddNote;
pub use questions::{AskQuestion, RecordAnswer, RecordGoal};
pub use words::{Apologize, Explain, FinalThanks, Thank};
