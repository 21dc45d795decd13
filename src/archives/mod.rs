//! Archive walking (in progress).
