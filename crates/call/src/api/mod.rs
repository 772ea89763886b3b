//! The 2008-08-01 REST API's value types and request validation.

mod error;
mod params;
mod phone;
mod request;
mod send_digits;
mod sid;
mod status;

pub use error::{ApiError, codes};
pub use params::{IfMachine, Method};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use request::{CreateCallRequest, UpdateCallRequest};
pub use send_digits::{DigitStep, SendDigits, SendDigitsError};
pub use sid::{AccountSid, CallSid, SidError};
pub use status::{CallStatus, DialStatus};
