//! ringside-harness (being written).
