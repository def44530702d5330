/*
 * byteorder.h - fixed-width integers in little- and big-endian byte order, read from and
 * written to memory that holds them (no alignment needed; buf.h appends them to a buffer,
 * cursor.h reads them with bounds checks).
 */
#ifndef BYTEORDER_H
#define BYTEORDER_H

#include <stdint.h>

uint16_t byteorder_get_u16le(const uint8_t *p);
uint32_t byteorder_get_u32le(const uint8_t *p);
uint64_t byteorder_get_u64le(const uint8_t *p);
uint16_t byteorder_get_u16be(const uint8_t *p);
uint32_t byteorder_get_u32be(const uint8_t *p);
uint64_t byteorder_get_u64be(const uint8_t *p);
/* IEEE 754 single and double precision, big-endian (PostgreSQL's float4 and float8) */
float byteorder_get_f32be(const uint8_t *p);
double byteorder_get_f64be(const uint8_t *p);
void byteorder_put_u32le(uint8_t *p, uint32_t v);
void byteorder_put_u64le(uint8_t *p, uint64_t v);

#endif
