#ifndef WSINSPECT_CPCAP_SHIM_H
#define WSINSPECT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
