/* The zlib floor for permessage-deflate: inflate every compressed message that the capture generator logged
 * (--payloads FILE), with one raw inflater per connection and direction kept across messages (context takeover),
 * 00 00 ff ff appended to each message — exactly the inflation work wsinspect must do, and nothing else.
 * Build: cc -O2 -o zlib_floor zlib_floor.c -lz     Run: ./zlib_floor PAYLOADS */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAX_STREAMS (1 << 20)

static z_stream *streams[MAX_STREAMS];

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: zlib_floor PAYLOADS\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 2; }
    static unsigned char out[1 << 16];
    unsigned char *message = malloc(1 << 24);
    unsigned long long inflated = 0, compressed = 0, messages = 0;
    unsigned char head[9];
    while (fread(head, 1, 9, f) == 9) {
        uint32_t connection = head[0] | head[1] << 8 | head[2] << 16 | (uint32_t)head[3] << 24;
        uint32_t length = head[5] | head[6] << 8 | head[7] << 16 | (uint32_t)head[8] << 24;
        unsigned slot = (connection * 2 + head[4]) % MAX_STREAMS;
        if (length + 4 > (1 << 24) || fread(message, 1, length, f) != length) break;
        memcpy(message + length, "\x00\x00\xff\xff", 4);
        if (!streams[slot]) {
            streams[slot] = calloc(1, sizeof(z_stream));
            inflateInit2(streams[slot], -15);
        }
        z_stream *s = streams[slot];
        s->next_in = message;
        s->avail_in = length + 4;
        do {
            s->next_out = out;
            s->avail_out = sizeof out;
            int status = inflate(s, Z_SYNC_FLUSH);
            inflated += sizeof out - s->avail_out;
            if (status != Z_OK && status != Z_BUF_ERROR) break;
        } while (s->avail_in > 0 || s->avail_out == 0);
        compressed += length;
        messages++;
    }
    printf("%llu messages, %llu compressed bytes, %llu inflated bytes\n", messages, compressed, inflated);
    return 0;
}
