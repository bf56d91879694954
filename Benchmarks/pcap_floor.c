/* The libpcap floor: read every packet of a capture with pcap_next_ex and do nothing else but count.
 * Build: cc -O2 -o pcap_floor pcap_floor.c -lpcap     Run: ./pcap_floor FILE */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv) {
    char error[PCAP_ERRBUF_SIZE];
    if (argc != 2) { fprintf(stderr, "usage: pcap_floor FILE\n"); return 2; }
    pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, error);
    if (!p) { fprintf(stderr, "pcap_floor: %s\n", error); return 2; }
    struct pcap_pkthdr *header;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0, sum = 0;
    while (pcap_next_ex(p, &header, &data) == 1) {
        packets++;
        bytes += header->caplen;
        sum += data[header->caplen / 2];   /* touch the packet, as any reader must */
    }
    printf("%llu packets, %llu bytes (%llu)\n", packets, bytes, sum & 1);
    pcap_close(p);
    return 0;
}
