/*
 * amd_file: who answered, per recording, through the ringside C library.
 *
 *   amd_file [--chunk SAMPLES] FILE.wav...
 *
 * Reads 16-bit 8 kHz mono PCM WAV files, streams each through a ringside detector in
 * chunks of SAMPLES (default 160: the 20 ms frame a media server hands over), and prints
 * one JSON object per file per line: the record of `ringside detect --json`, with the same
 * fields, values and times (sample offsets / 8000, printed exactly):
 *
 *   {"file":"<path>","verdict":"machine","cause":"long greeting","decided_at":2.81,
 *    "greeting_end":{"kind":"beep","at":6.14}|null,
 *    "beep":{"start":5.78,"end":6.14,"freq_hz":1450.9}|null,"speech":[[0.3,4.1],...],
 *    "silence_end_before_beep":<s> (only after a late beep),"audio_seconds":8.375,
 *    "dtmf":[{"digit":"5","start":<s>,"end":<s>},...]}
 *   {"file":"<path>","error":"<message>"}          (a file this program cannot read)
 *
 * Exit status: 0; 2 if a file could not be read (the others still run); 1 for a usage
 * error or a failure of the library.
 *
 * Build (from the repository root, after `cargo build -p ringside-capi --release`):
 *   cc -O2 -Wall -Wextra -I crates/capi/include examples/c/amd_file.c \
 *      target/release/libringside.a -lpthread -ldl -lm -o amd_file
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ringside.h"

#define RATE 8000
#define MAX_CHUNK 80000 /* 10 s */

/* ---- what the detector said, gathered from its events (as `ringside detect` does) ---- */

struct span {
    uint64_t start, end;
};

struct key {
    char digit;
    uint64_t start, end;
};

/* A growable array; `ok` turns false (and stays) if memory runs out. */
struct spans {
    struct span *items;
    size_t len, cap;
};

struct keys {
    struct key *items;
    size_t len, cap;
};

struct analysis {
    int has_verdict;
    ringside_event verdict;
    int has_greeting_end;
    ringside_event greeting_end;
    int has_silence_before_beep;
    uint64_t silence_before_beep;
    int has_beep;
    ringside_event beep; /* the first one */
    struct spans speech;
    int speech_open;
    uint64_t speech_start;
    struct keys dtmf;
    int out_of_memory;
};

static int grow(void **items, size_t *cap, size_t len, size_t size) {
    if (len < *cap)
        return 1;
    size_t cap2 = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, cap2 * size);
    if (!p)
        return 0;
    *items = p;
    *cap = cap2;
    return 1;
}

static void push_speech(struct analysis *a, uint64_t start, uint64_t end) {
    if (!grow((void **)&a->speech.items, &a->speech.cap, a->speech.len, sizeof(struct span))) {
        a->out_of_memory = 1;
        return;
    }
    a->speech.items[a->speech.len++] = (struct span){start, end};
}

/* One event, by the rules of ringside's EventCollector: speech ends pair with the start
 * before them, the first verdict and beep count, and a beep's greeting end replaces an
 * earlier end by silence (a late beep). */
static void collect(struct analysis *a, const ringside_event *ev) {
    switch (ev->kind) {
    case RINGSIDE_EVENT_KIND_SPEECH_START:
        if (!a->speech_open) {
            a->speech_open = 1;
            a->speech_start = ev->at;
        }
        break;
    case RINGSIDE_EVENT_KIND_SPEECH_END:
        if (a->speech_open) {
            a->speech_open = 0;
            push_speech(a, a->speech_start, ev->at);
        }
        break;
    case RINGSIDE_EVENT_KIND_BEEP:
        if (!a->has_beep) {
            a->has_beep = 1;
            a->beep = *ev;
        }
        break;
    case RINGSIDE_EVENT_KIND_DTMF:
        if (!grow((void **)&a->dtmf.items, &a->dtmf.cap, a->dtmf.len, sizeof(struct key))) {
            a->out_of_memory = 1;
            break;
        }
        a->dtmf.items[a->dtmf.len++] = (struct key){ev->digit, ev->start, ev->end};
        break;
    case RINGSIDE_EVENT_KIND_VERDICT:
        if (!a->has_verdict) {
            a->has_verdict = 1;
            a->verdict = *ev;
        }
        break;
    case RINGSIDE_EVENT_KIND_GREETING_END:
        if (!a->has_greeting_end) {
            a->has_greeting_end = 1;
            a->greeting_end = *ev;
        } else if (a->greeting_end.greeting_end == RINGSIDE_GREETING_END_SILENCE &&
                   ev->greeting_end == RINGSIDE_GREETING_END_BEEP) {
            a->has_silence_before_beep = 1;
            a->silence_before_beep = a->greeting_end.at;
            a->greeting_end = *ev;
        }
        break;
    default: /* tones are not part of the record */
        break;
    }
}

static void analysis_free(struct analysis *a) {
    free(a->speech.items);
    free(a->dtmf.items);
}

/* ---- JSON output ---- */

/* Seconds = samples / 8000, exactly: 1/8000 = 0.000125, so six decimals always suffice;
 * trailing zeros are dropped as the CLI's shortest-form floats drop them ("6.0", "5.78"). */
static void put_seconds(FILE *out, uint64_t samples) {
    char frac[8];
    snprintf(frac, sizeof frac, "%06" PRIu64, (samples % RATE) * (1000000 / RATE));
    size_t len = strlen(frac);
    while (len > 1 && frac[len - 1] == '0')
        frac[--len] = '\0';
    fprintf(out, "%" PRIu64 ".%s", samples / RATE, frac);
}

static void put_string(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void put_record(FILE *out, const char *file, const struct analysis *a,
                       uint64_t total) {
    fputs("{\"file\":", out);
    put_string(out, file);
    fputs(",\"verdict\":", out);
    put_string(out, a->has_verdict ? ringside_verdict_name(a->verdict.verdict) : "unknown");
    fputs(",\"cause\":", out);
    put_string(out, a->has_verdict ? ringside_cause_text(a->verdict.cause)
                                   : "no verdict from the detector");
    fputs(",\"decided_at\":", out);
    put_seconds(out, a->has_verdict ? a->verdict.at : total);
    fputs(",\"greeting_end\":", out);
    if (a->has_greeting_end) {
        fputs("{\"kind\":", out);
        put_string(out, ringside_greeting_end_name(a->greeting_end.greeting_end));
        fputs(",\"at\":", out);
        put_seconds(out, a->greeting_end.at);
        fputc('}', out);
    } else {
        fputs("null", out);
    }
    fputs(",\"beep\":", out);
    if (a->has_beep) {
        fputs("{\"start\":", out);
        put_seconds(out, a->beep.start);
        fputs(",\"end\":", out);
        put_seconds(out, a->beep.end);
        /* To 0.1 Hz, rounded half away from zero, as the CLI does. */
        fprintf(out, ",\"freq_hz\":%.1f}", round((double)a->beep.freq_hz * 10.0) / 10.0);
    } else {
        fputs("null", out);
    }
    fputs(",\"speech\":[", out);
    for (size_t i = 0; i < a->speech.len; i++) {
        fputs(i ? ",[" : "[", out);
        put_seconds(out, a->speech.items[i].start);
        fputc(',', out);
        put_seconds(out, a->speech.items[i].end);
        fputc(']', out);
    }
    fputc(']', out);
    if (a->has_silence_before_beep) {
        fputs(",\"silence_end_before_beep\":", out);
        put_seconds(out, a->silence_before_beep);
    }
    fputs(",\"audio_seconds\":", out);
    put_seconds(out, total);
    fputs(",\"dtmf\":[", out);
    for (size_t i = 0; i < a->dtmf.len; i++) {
        char digit[2] = {a->dtmf.items[i].digit, '\0'};
        fputs(i ? ",{\"digit\":" : "{\"digit\":", out);
        put_string(out, digit);
        fputs(",\"start\":", out);
        put_seconds(out, a->dtmf.items[i].start);
        fputs(",\"end\":", out);
        put_seconds(out, a->dtmf.items[i].end);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

static void put_error(FILE *out, const char *file, const char *message) {
    fputs("{\"file\":", out);
    put_string(out, file);
    fputs(",\"error\":", out);
    put_string(out, message);
    fputs("}\n", out);
}

/* ---- WAV reading ---- */

static uint32_t le32(const unsigned char *b) {
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint16_t le16(const unsigned char *b) { return (uint16_t)(b[0] | b[1] << 8); }

/* Finds the data chunk of a 16-bit 8 kHz mono PCM WAV; leaves `f` at its first sample and
 * its length in `*data_len`. Returns NULL, or what is wrong (written to `why`). */
static const char *open_wav(FILE *f, uint32_t *data_len, char *why, size_t why_len) {
    unsigned char head[12];
    size_t got = fread(head, 1, sizeof head, f);
    if (got == 0)
        return "empty file";
    if (got < sizeof head || memcmp(head, "RIFF", 4) != 0 || memcmp(head + 8, "WAVE", 4) != 0)
        return "not a WAV file (no RIFF/WAVE header)";
    int has_format = 0;
    for (;;) {
        unsigned char chunk[8];
        if (fread(chunk, 1, sizeof chunk, f) != sizeof chunk)
            return has_format ? "truncated: no data chunk" : "truncated: no fmt chunk";
        uint32_t size = le32(chunk + 4);
        if (memcmp(chunk, "fmt ", 4) == 0) {
            unsigned char fmt[40] = {0};
            if (size < 16 || size > sizeof fmt || fread(fmt, 1, size, f) != size)
                return "malformed fmt chunk";
            if (size % 2 && fgetc(f) == EOF)
                return "truncated fmt chunk";
            uint16_t tag = le16(fmt);
            /* WAVE_FORMAT_EXTENSIBLE with the PCM sub-format is PCM too. */
            if (tag == 0xFFFE && size >= 26)
                tag = le16(fmt + 24);
            uint16_t channels = le16(fmt + 2), bits = le16(fmt + 14);
            uint32_t rate = le32(fmt + 4);
            if (tag != 1 || channels != 1 || rate != RATE || bits != 16) {
                snprintf(why, why_len,
                         "unsupported: format %u, %u channel(s), %" PRIu32 " Hz, %u-bit "
                         "(this example reads 16-bit 8 kHz mono PCM WAV)",
                         tag, channels, rate, bits);
                return why;
            }
            has_format = 1;
        } else if (memcmp(chunk, "data", 4) == 0) {
            if (!has_format)
                return "malformed: data chunk before the fmt chunk";
            *data_len = size;
            return NULL;
        } else if (fseek(f, (long)size + (long)(size % 2), SEEK_CUR) != 0) {
            return "truncated chunk";
        }
    }
}

/* ---- one file ---- */

static int fail(ringside_status status, const char *what) {
    fprintf(stderr, "amd_file: %s: %s\n", what, ringside_status_text(status));
    return 1;
}

/* Returns 0 when the file was analysed, 2 when it could not be read, 1 when the library
 * failed. */
static int run_file(ringside_detector *det, const char *path, int16_t *buf,
                    unsigned char *bytes, size_t chunk) {
    char why[256];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, sizeof why, "cannot read the file: %s", strerror(errno));
        put_error(stdout, path, why);
        return 2;
    }
    uint32_t data_len = 0;
    const char *bad = open_wav(f, &data_len, why, sizeof why);
    if (bad) {
        fclose(f);
        put_error(stdout, path, bad);
        return 2;
    }
    ringside_status status = ringside_detector_reset(det);
    if (status != RINGSIDE_STATUS_OK) {
        fclose(f);
        return fail(status, "reset");
    }
    struct analysis a;
    memset(&a, 0, sizeof a);
    ringside_event ev;
    uint64_t total = 0;
    uint64_t want = data_len / 2;
    while (total < want) {
        size_t n = want - total < chunk ? (size_t)(want - total) : chunk;
        size_t got = fread(bytes, 2, n, f);
        for (size_t i = 0; i < got; i++)
            buf[i] = (int16_t)le16(bytes + 2 * i);
        status = ringside_detector_process_i16(det, buf, got);
        if (status != RINGSIDE_STATUS_OK)
            break;
        while (ringside_detector_next_event(det, &ev))
            collect(&a, &ev);
        total += got;
        if (got < n)
            break;
    }
    fclose(f);
    if (status != RINGSIDE_STATUS_OK) {
        analysis_free(&a);
        return fail(status, "process");
    }
    if (total < want) {
        snprintf(why, sizeof why,
                 "truncated: the data chunk declares %" PRIu64 " samples, the file has %" PRIu64,
                 want, total);
        analysis_free(&a);
        put_error(stdout, path, why);
        return 2;
    }
    status = ringside_detector_finish(det);
    if (status != RINGSIDE_STATUS_OK) {
        analysis_free(&a);
        return fail(status, "finish");
    }
    while (ringside_detector_next_event(det, &ev))
        collect(&a, &ev);
    if (a.speech_open)
        push_speech(&a, a.speech_start, total);
    int rc = 0;
    if (a.out_of_memory) {
        fprintf(stderr, "amd_file: %s: out of memory\n", path);
        rc = 1;
    } else {
        put_record(stdout, path, &a, total);
    }
    analysis_free(&a);
    return rc;
}

static int usage(void) {
    fprintf(stderr, "usage: amd_file [--chunk SAMPLES] FILE.wav...\n"
                    "  (16-bit 8 kHz mono PCM WAV; SAMPLES 1-%d, default 160)\n",
            MAX_CHUNK);
    return 1;
}

int main(int argc, char **argv) {
    size_t chunk = 160;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--chunk") == 0) {
        if (argc < 3)
            return usage();
        char *end = NULL;
        long n = strtol(argv[2], &end, 10);
        if (*argv[2] == '\0' || *end != '\0' || n < 1 || n > MAX_CHUNK) {
            fprintf(stderr, "amd_file: --chunk %s: give a number of samples from 1 to %d\n",
                    argv[2], MAX_CHUNK);
            return 1;
        }
        chunk = (size_t)n;
        first = 3;
    }
    if (first >= argc)
        return usage();

    ringside_config config = ringside_config_default();
    ringside_error error;
    ringside_detector *det = ringside_detector_new(&config, RATE, &error);
    if (!det) {
        fprintf(stderr, "amd_file: %s\n", error.message);
        return 1;
    }
    int16_t *buf = malloc(chunk * sizeof *buf);
    unsigned char *bytes = malloc(chunk * 2);
    if (!buf || !bytes) {
        fprintf(stderr, "amd_file: out of memory\n");
        free(buf);
        free(bytes);
        ringside_detector_free(det);
        return 1;
    }
    int rc = 0;
    for (int i = first; i < argc; i++) {
        int r = run_file(det, argv[i], buf, bytes, chunk);
        if (r == 1) {
            rc = 1;
            break;
        }
        if (r == 2)
            rc = 2;
    }
    free(buf);
    free(bytes);
    ringside_detector_free(det);
    if (fflush(stdout) != 0)
        rc = 1;
    return rc;
}
