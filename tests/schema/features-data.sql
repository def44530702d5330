-- features-data.sql: rows for the tables of features.sql (loaded after it by the data test
-- of tests/bats/my-schema.bats: my-extract | row-convert | pg-load between pre-data and post-data).
-- Explicit ids below and above the AUTO_INCREMENT counters, so that post-data's setval is checked.

INSERT INTO rooms (room_id, number, floor, kind, status, rate, has_minibar, notes, created_at, updated_at) VALUES
  (101, '101', 1, 'single', 'free', 80.00, 1, NULL, '2024-01-01 10:00:00', '2024-01-01 10:00:00'),
  (102, '102', 1, 'double', 'occupied', 120.50, 1, 'sea view', '2024-01-01 10:00:00', '2024-01-02 11:00:00'),
  (150, '150A', 5, 'suite', 'out of order', 999.99, 0, 'it''s "broken"', '2024-01-03 12:00:00', '2024-01-03 12:00:00');

INSERT INTO guests (guest_id, first_name, last_name, email, phone, vip, birth_date, country, prefs, note, visits) VALUES
  (1, 'Ada', 'Lovelace', 'ada@example.org', '+44 1', b'1', '1815-12-10', 'GB', '{"pillow": "soft", "floor": [1, 2]}', NULL, 0),
  (2, 'Nazım', 'Hikmet', NULL, '', b'0', NULL, 'TR', NULL, 'çok güzel', 3),
  (7000, 'Grace', 'Hopper', 'grace@example.org', NULL, b'0', '1906-12-09', 'US', '[]', 'late check-out', 1);

INSERT INTO minibar_items (item_id, sku, name, price, vat_rate, active) VALUES
  (1, 'WATER-050', 'Water 0.5 l', 2.50, 0.080, 1),
  (2, 'NUTS-100', 'Nuts', 4.20, 0.180, 1),
  (40, 'CHAMP-075', 'Champagne', 89.00, 0.200, 0);

-- the trigger trg_moves_visits also bumps guests.visits
INSERT INTO stock_movements (movement_id, room_id, item_id, guest_id, qty, reason, moved_at) VALUES
  (1, 101, 1, NULL, 10, 'restock', '2024-01-01 09:00:00.000001'),
  (2, 102, 2, 1, -1, 'consumed', '2024-01-02 23:59:59.999999'),
  (3, 150, 40, 7000, -1, 'damaged', '2024-01-03 12:30:00');

INSERT INTO all_types (id, c_tinyint, c_utinyint, c_bool, c_smallint, c_usmallint, c_mediumint, c_umediumint,
  c_int, c_uint, c_bigint, c_ubigint, c_decimal, c_udecimal, c_float, c_double, c_date, c_date_zero, c_datetime,
  c_timestamp, c_time, c_year, c_bit1, c_bit12, c_enum, c_set, c_char, c_varchar, c_char0, c_tinytext, c_text,
  c_mediumtext, c_longtext, c_binary, c_varbinary, c_tinyblob, c_blob, c_mediumblob, c_longblob, c_json,
  c_geometry, c_point, c_uuid, c_inet4, c_inet6, c_expr_def, c_rand, c_today, c_now) VALUES
  (1, -128, 255, 0, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808,
   18446744073709551615, -12345678901234567890123456789012345.123456789012345678901234567890, 9999999999,
   -1.5, 3.141592653589793, '2024-02-29', '2000-01-01', '1999-12-31 23:59:59.999999', '2038-01-19 03:14:07',
   '-838:59:59.000', 1901, b'1', b'111111111111', 'd\\e', 'y,z', 'é', 'tab\there', '', 'tiny', 'text',
   'medium', 'long', 0x00ff10, 0xdeadbeef, 0x00, 0x0102, '', 0xff, '{"k": [true, null, 1.5]}',
   ST_GeomFromText('LINESTRING(0 0, 1 1)'), POINT(1, 2), '123e4567-e89b-12d3-a456-426614174000',
   '192.168.0.1', '2001:db8::1', 3, 0.5, '2024-06-01', '2024-06-01 12:00:00'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, POINT(0, 0), NULL, NULL, NULL, NULL, NULL, NULL, NULL);

INSERT INTO `Order` (`ID`, `select`, `Group Name`, `user`) VALUES (1, 'a', 'g1', 10), (2, 'b', NULL, NULL);
INSERT INTO order_lines VALUES (1, 1, 10.00), (1, 2, 5.50), (2, 1, 0.00);
INSERT INTO `Mixed` VALUES (1);
INSERT INTO `mixed` VALUES (1), (2);
INSERT INTO audit_log VALUES ('2024-01-01 00:00:00', 'started');
INSERT INTO readings VALUES (1, '2023-05-01', 20.5), (1, '2024-05-01', 21.5);
