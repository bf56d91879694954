#ifndef WSINSPECT_CPCAP_SHIM_H
#define WSINSPECT_CPCAP_SHIM_H
#include <pcap/pcap.h>
#ifdef __linux__
/* struct sock_fprog: a live loopback capture attaches its kernel filter itself (CaptureSource.setFilter). */
#include <linux/filter.h>
#endif
#endif
