/* byteorder.c - little- and big-endian integers in memory (byteorder.h) */
#include "byteorder.h"

#include <string.h>

uint16_t byteorder_get_u16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
uint32_t byteorder_get_u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
uint64_t byteorder_get_u64le(const uint8_t *p) { return (uint64_t)byteorder_get_u32le(p) | ((uint64_t)byteorder_get_u32le(p + 4) << 32); }
uint16_t byteorder_get_u16be(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
uint32_t byteorder_get_u32be(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}
uint64_t byteorder_get_u64be(const uint8_t *p) { return ((uint64_t)byteorder_get_u32be(p) << 32) | byteorder_get_u32be(p + 4); }
float byteorder_get_f32be(const uint8_t *p)
{
	uint32_t u = byteorder_get_u32be(p);
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}
double byteorder_get_f64be(const uint8_t *p)
{
	uint64_t u = byteorder_get_u64be(p);
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}
void byteorder_put_u32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}
void byteorder_put_u64le(uint8_t *p, uint64_t v)
{
	byteorder_put_u32le(p, (uint32_t)v);
	byteorder_put_u32le(p + 4, (uint32_t)(v >> 32));
}
