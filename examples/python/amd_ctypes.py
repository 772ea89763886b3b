#!/usr/bin/env python3
"""Who answered, from Python, through libringside.so with ctypes (no build step).

    python3 amd_ctypes.py LIBRINGSIDE_SO FILE.wav

Feeds a 16-bit mono WAV (8 or 16 kHz) in 20 ms frames, as a media server would, and prints
each event as it comes, then the verdict.
"""

import ctypes as C
import sys
import wave


class Config(C.Structure):
    _fields_ = [(n, C.c_uint32) for n in (
        "initial_silence_ms", "greeting_ms", "after_greeting_silence_ms", "min_word_ms",
        "between_words_silence_ms", "max_words", "total_analysis_ms",
        "greeting_end_silence_ms", "greeting_timeout_ms", "late_beep_ms")] + [
        ("beep_min_hz", C.c_float), ("beep_max_hz", C.c_float),
        ("beep_min_ms", C.c_uint32), ("beep_max_ms", C.c_uint32)]


class Error(C.Structure):
    _fields_ = [("status", C.c_uint32), ("field", C.c_char * 48), ("message", C.c_char * 256)]


class Event(C.Structure):
    _fields_ = [("kind", C.c_uint32), ("verdict", C.c_uint32), ("cause", C.c_uint32),
                ("greeting_end", C.c_uint32), ("at", C.c_uint64), ("start", C.c_uint64),
                ("end", C.c_uint64), ("freq_hz", C.c_float), ("digit", C.c_char)]


KINDS = ["speech_start", "speech_end", "tone_start", "tone_end", "beep", "dtmf", "verdict",
         "greeting_end"]


def load(path):
    lib = C.CDLL(path)
    lib.ringside_config_default.restype = Config
    lib.ringside_detector_new.restype = C.c_void_p
    lib.ringside_detector_new.argtypes = [C.POINTER(Config), C.c_uint32, C.POINTER(Error)]
    lib.ringside_detector_process_i16.argtypes = [C.c_void_p, C.c_void_p, C.c_size_t]
    lib.ringside_detector_next_event.restype = C.c_bool
    lib.ringside_detector_next_event.argtypes = [C.c_void_p, C.POINTER(Event)]
    lib.ringside_detector_finish.argtypes = [C.c_void_p]
    lib.ringside_detector_free.argtypes = [C.c_void_p]
    for name in ("ringside_verdict_name", "ringside_cause_text", "ringside_greeting_end_name"):
        getattr(lib, name).restype = C.c_char_p
    return lib


def describe(lib, ev, rate):
    kind = KINDS[ev.kind]
    text = f"{ev.at / rate:8.3f} s  {kind}"
    if kind == "verdict":
        text += (f" {lib.ringside_verdict_name(ev.verdict).decode()}"
                 f" ({lib.ringside_cause_text(ev.cause).decode()})")
    elif kind == "beep":
        text += f" {ev.start / rate:.3f}-{ev.end / rate:.3f} s, {ev.freq_hz:.0f} Hz"
    elif kind == "greeting_end":
        text += f" by {lib.ringside_greeting_end_name(ev.greeting_end).decode()}"
    elif kind == "dtmf":
        text += f" {ev.digit.decode()}"
    elif kind.startswith("tone"):
        text += f" {ev.freq_hz:.0f} Hz"
    return text


def main(lib_path, wav_path):
    lib = load(lib_path)
    with wave.open(wav_path) as w:
        if w.getsampwidth() != 2 or w.getnchannels() != 1:
            sys.exit(f"{wav_path}: not 16-bit mono")
        rate, pcm = w.getframerate(), w.readframes(w.getnframes())
    config = lib.ringside_config_default()
    error = Error()
    det = lib.ringside_detector_new(C.byref(config), rate, C.byref(error))
    if not det:
        sys.exit(f"{error.field.decode()}: {error.message.decode()}")
    event = Event()
    frame = rate // 50 * 2  # 20 ms of 16-bit samples, in bytes
    try:
        for i in range(0, len(pcm), frame):
            chunk = pcm[i:i + frame]
            lib.ringside_detector_process_i16(det, chunk, len(chunk) // 2)
            while lib.ringside_detector_next_event(det, C.byref(event)):
                print(describe(lib, event, rate))
        lib.ringside_detector_finish(det)
        while lib.ringside_detector_next_event(det, C.byref(event)):
            print(describe(lib, event, rate))
    finally:
        lib.ringside_detector_free(det)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
