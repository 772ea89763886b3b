//! ringside-call (being written).
