//! The REST API's value types and request validation: the 2008-08-01 API, and what the
//! 2010-04-01 API adds (`v2010`).

mod error;
mod params;
mod phone;
mod request;
mod send_digits;
mod sid;
mod status;
pub mod v2010;

pub use error::{ApiError, codes};
pub use params::{IfMachine, Method};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use request::{CreateCallRequest, UpdateCallRequest};
pub use send_digits::{DigitStep, SendDigits, SendDigitsError};
pub use sid::{AccountSid, CallSid, SidError};
pub use status::{CallStatus, DialStatus};
pub use v2010::{
    AmdDelivery, AmdMode, AmdTuning, AnsweredBy, Api2010, ApiVersion, Callback, MachineDetection,
    StatusCallback, StatusEvent, UpdateCall2010,
};
