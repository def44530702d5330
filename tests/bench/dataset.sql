-- The benchmark's MariaDB database (scripts/bench): deterministic, generated inside the server.
-- scripts/bench replaces @NARROW@ and @WIDE@ with the row counts (3,000,000 and 2,000,000 at
-- SCALE=1) and runs this in the database `bench`. Rows come from the Sequence engine's
-- seq_1_to_N tables, inserted in primary-key order, one statement per table.
SET SESSION sql_log_bin = 0;
SET SESSION unique_checks = 0;
DROP TABLE IF EXISTS narrow, wide;

-- narrow: two ints and two dates, composite primary key (8 rows per a)
CREATE TABLE narrow (
  a int NOT NULL,
  b int NOT NULL,
  d1 date NOT NULL,
  d2 date NOT NULL,
  PRIMARY KEY (a, b)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO narrow
SELECT 1 + (seq - 1) DIV 8,
       ((seq - 1) % 8) * 100000 + seq % 99991,
       DATE '2000-01-01' + INTERVAL (seq % 9000) DAY,
       DATE '2000-01-01' + INTERVAL (seq % 9000 + seq % 31) DAY
  FROM seq_1_to_@NARROW@;

-- wide: a hotel booking; bigint unsigned AUTO_INCREMENT key, ENUM, DECIMAL, Turkish text,
-- DATETIME(6), JSON (NULL in one row of five), TINYINT(1) and a secondary index
-- (added at the end)
CREATE TABLE wide (
  id bigint unsigned NOT NULL AUTO_INCREMENT,
  hotel_id int NOT NULL,
  room_no smallint NOT NULL,
  nights int NULL,
  status enum('booked','checked_in','checked_out','cancelled') NOT NULL,
  price decimal(12,2) NOT NULL,
  guest varchar(100) NOT NULL,
  created_at datetime(6) NOT NULL,
  prefs json NULL,
  paid tinyint(1) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO wide (id, hotel_id, room_no, nights, status, price, guest, created_at, prefs, paid)
SELECT seq,
       1 + seq % 997,
       100 + seq % 900,
       IF(seq % 11 = 0, NULL, 1 + seq % 14),
       1 + seq % 4,
       (seq * 7919 % 5000000) / 100,
       CONCAT(ELT(1 + seq % 8, 'Ayşe', 'Çağrı', 'Gökhan', 'İlkay', 'Şükrü', 'Öznur', 'Ümit', 'Ilgın'),
              ' ', ELT(1 + (seq DIV 8) % 6, 'Yılmaz', 'Öztürk', 'Çelik', 'Şahin', 'Doğan', 'Kılıç'),
              ' #', seq),
       TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (seq * 61) SECOND
         + INTERVAL (seq * 7919 % 1000000) MICROSECOND,
       IF(seq % 5 = 0, NULL,
          JSON_OBJECT('floor', seq % 12, 'view', ELT(1 + seq % 3, 'deniz', 'bahçe', 'şehir'),
                      'smoking', seq % 7 = 0, 'tags', JSON_ARRAY('wifi', seq % 9))),
       seq % 3 = 0
  FROM seq_1_to_@WIDE@;

-- the secondary index after the rows: one sorted build
ALTER TABLE wide ADD KEY wide_hotel_created (hotel_id, created_at);
