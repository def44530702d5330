-- features.sql: a MariaDB schema using every feature my-schema converts or reports.
-- Loaded into an empty database by tests/bats/my-schema.bats; the generated DDL and report
-- (my-schema --schema feat --report=FILE DB, the database name replaced by DB) are compared
-- with features.expected.sql and features.expected.report (regenerate them with
-- MY_SCHEMA_REGEN=1 tests/run my-schema). features-data.sql holds rows for its tables.
-- Part 1: a small hotel (rooms, guests, minibar items, stock movements).

CREATE TABLE rooms (
  room_id     SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  number      VARCHAR(8) NOT NULL COMMENT 'door number, e.g. 101A',
  floor       TINYINT NOT NULL DEFAULT 1,
  kind        ENUM('single','double','suite') NOT NULL DEFAULT 'double',
  status      ENUM('free','occupied','cleaning','out of order') NOT NULL DEFAULT 'free',
  rate        DECIMAL(8,2) NOT NULL DEFAULT 99.50,
  has_minibar TINYINT(1) NOT NULL DEFAULT 1,
  notes       TEXT,
  created_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (room_id),
  UNIQUE KEY uq_rooms_number (number),
  KEY idx_rooms_floor_kind (floor, kind),
  CONSTRAINT chk_rooms_rate CHECK (rate >= 0 AND rate < 10000),
  CONSTRAINT chk_rooms_floor CHECK (floor BETWEEN -2 AND 60)
) ENGINE=InnoDB AUTO_INCREMENT=120 COMMENT='hotel rooms';

CREATE TABLE guests (
  guest_id    INT UNSIGNED NOT NULL AUTO_INCREMENT,
  first_name  VARCHAR(60) NOT NULL,
  last_name   VARCHAR(60) NOT NULL,
  full_name   VARCHAR(121) AS (CONCAT(first_name, ' ', last_name)) STORED,
  email       VARCHAR(190) DEFAULT NULL,
  phone       VARCHAR(30) DEFAULT '',
  vip         BIT(1) NOT NULL DEFAULT b'0',
  birth_date  DATE DEFAULT NULL,
  country     CHAR(2) NOT NULL DEFAULT 'TR',
  prefs       JSON DEFAULT NULL,
  note        VARCHAR(200) DEFAULT 'it''s a "note"',
  visits      INT NOT NULL DEFAULT 0,
  updated_at  DATETIME(3) NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (guest_id),
  UNIQUE KEY uq_guests_email (email),
  KEY idx_guests_name (last_name(10), first_name(10)),
  FULLTEXT KEY ft_guests_note (note, last_name),
  CONSTRAINT chk_guests_visits CHECK (visits >= 0)
) ENGINE=InnoDB AUTO_INCREMENT=5000;

CREATE TABLE minibar_items (
  item_id     INT NOT NULL AUTO_INCREMENT,
  sku         CHAR(12) NOT NULL,
  name        VARCHAR(80) NOT NULL,
  price       DECIMAL(6,2) NOT NULL,
  vat_rate    DECIMAL(4,3) NOT NULL DEFAULT 0.180,
  price_gross DECIMAL(8,2) AS (price * (1 + vat_rate)) STORED,
  price_cents INT AS (price * 100) VIRTUAL,
  active      TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (item_id),
  UNIQUE KEY uq_items_sku (sku),
  CONSTRAINT chk_items_price CHECK (price > 0),
  CONSTRAINT chk_items_active CHECK (active IN (0, 1))
) ENGINE=InnoDB AUTO_INCREMENT=31 COMMENT='what the minibar sells';

CREATE TABLE stock_movements (
  movement_id BIGINT NOT NULL AUTO_INCREMENT,
  room_id     SMALLINT UNSIGNED NOT NULL,
  item_id     INT NOT NULL,
  guest_id    INT UNSIGNED NULL,
  qty         SMALLINT NOT NULL,
  reason      ENUM('restock','consumed','expired','damaged') NOT NULL,
  moved_at    TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (movement_id),
  KEY idx_moves_room_item (room_id, item_id),
  KEY idx_moves_time (moved_at DESC),
  CONSTRAINT fk_moves_room FOREIGN KEY (room_id) REFERENCES rooms (room_id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT fk_moves_item FOREIGN KEY (item_id) REFERENCES minibar_items (item_id) ON DELETE RESTRICT,
  CONSTRAINT fk_moves_guest FOREIGN KEY (guest_id) REFERENCES guests (guest_id) ON DELETE SET NULL,
  CONSTRAINT chk_moves_qty CHECK (qty <> 0)
) ENGINE=InnoDB AUTO_INCREMENT=1000001;

CREATE VIEW room_stock AS
  SELECT m.room_id, i.name AS item, SUM(m.qty) AS on_hand, IFNULL(MAX(m.moved_at), '2000-01-01') AS last_move
  FROM stock_movements m JOIN minibar_items i ON i.item_id = m.item_id
  GROUP BY m.room_id, i.name;

CREATE VIEW free_rooms AS
  SELECT room_id, number, rate FROM rooms WHERE status = 'free' AND has_minibar = 1;

CREATE VIEW guest_labels AS
  SELECT guest_id, DATE_FORMAT(birth_date, '%d.%m.%Y') AS born, LPAD(guest_id, 8, '0') AS code FROM guests;

CREATE TRIGGER trg_moves_visits AFTER INSERT ON stock_movements FOR EACH ROW
  UPDATE guests SET visits = visits + 1 WHERE guest_id = NEW.guest_id;

DELIMITER //
CREATE PROCEDURE restock_room(IN p_room SMALLINT UNSIGNED)
BEGIN
  INSERT INTO stock_movements (room_id, item_id, qty, reason)
  SELECT p_room, item_id, 1, 'restock' FROM minibar_items WHERE active = 1;
END//
CREATE FUNCTION room_label(p_room SMALLINT UNSIGNED) RETURNS VARCHAR(20) DETERMINISTIC
  RETURN CONCAT('room ', p_room)//
DELIMITER ;

-- Part 2: every column type, default and index kind.

CREATE TABLE all_types (
  id            INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  c_tinyint     TINYINT DEFAULT -5,
  c_utinyint    TINYINT UNSIGNED DEFAULT 200,
  c_bool        BOOLEAN DEFAULT TRUE,
  c_smallint    SMALLINT DEFAULT 12345,
  c_usmallint   SMALLINT UNSIGNED,
  c_mediumint   MEDIUMINT DEFAULT -8000000,
  c_umediumint  MEDIUMINT UNSIGNED,
  c_int         INT DEFAULT 0,
  c_uint        INT UNSIGNED DEFAULT 4294967295,
  c_bigint      BIGINT DEFAULT -9223372036854775808,
  c_ubigint     BIGINT UNSIGNED DEFAULT 18446744073709551615,
  c_decimal     DECIMAL(65,30) DEFAULT 1.5,
  c_udecimal    DECIMAL(10,0) UNSIGNED DEFAULT 42,
  c_float       FLOAT DEFAULT 1.25,
  c_double      DOUBLE DEFAULT -2.5e-10,
  c_date        DATE DEFAULT '2024-02-29',
  c_date_zero   DATE DEFAULT '0000-00-00',
  c_datetime    DATETIME(6) DEFAULT '2024-01-02 03:04:05.123456',
  c_timestamp   TIMESTAMP NULL DEFAULT NULL,
  c_time        TIME(3) DEFAULT '-838:59:59.000',
  c_year        YEAR DEFAULT 2024,
  c_bit1        BIT(1) DEFAULT b'1',
  c_bit12       BIT(12) DEFAULT b'101',
  c_enum        ENUM('a','b''c','d\\e') DEFAULT 'b''c',
  c_set         SET('x','y','z') DEFAULT 'x,z',
  c_char        CHAR(10) CHARACTER SET latin1 DEFAULT 'abc',
  c_varchar     VARCHAR(255) DEFAULT 'tab\there\\',
  c_char0       CHAR(0),
  c_tinytext    TINYTEXT,
  c_text        TEXT,
  c_mediumtext  MEDIUMTEXT,
  c_longtext    LONGTEXT,
  c_binary      BINARY(4) DEFAULT 0x00ff,
  c_varbinary   VARBINARY(100),
  c_tinyblob    TINYBLOB,
  c_blob        BLOB,
  c_mediumblob  MEDIUMBLOB,
  c_longblob    LONGBLOB,
  c_json        JSON,
  c_geometry    GEOMETRY,
  c_point       POINT NOT NULL DEFAULT (POINT(0, 0)),
  c_uuid        UUID DEFAULT UUID(),
  c_inet4       INET4,
  c_inet6       INET6,
  c_expr_def    INT DEFAULT (1 + 2),
  c_rand        DOUBLE DEFAULT (RAND()),
  c_today       DATE DEFAULT (CURDATE()),
  c_now         DATETIME DEFAULT NOW(),
  c_vnote       VARCHAR(40) AS (UPPER(c_varchar)) VIRTUAL,
  c_untrans     VARCHAR(20) AS (DATE_FORMAT(c_date, '%Y')) VIRTUAL,
  UNIQUE KEY uq_multi (c_int, c_smallint),
  KEY idx_text_prefix (c_text(20)),
  KEY idx_blob_prefix (c_blob(16)),
  SPATIAL KEY sp_point (c_point)
) ENGINE=InnoDB COMMENT='one column of each type';

-- identifiers: reserved words, mixed case, characters needing quotes, long names
CREATE TABLE `Order` (
  `ID` INT NOT NULL,
  `select` VARCHAR(10) NOT NULL DEFAULT 'x',
  `Group Name` VARCHAR(20),
  `user` INT,
  `a_column_name_that_is_exactly_sixty_four_characters_long_abcdefh` INT,
  `a_column_name_that_is_exactly_sixty_four_characters_long_abcdefX` INT,
  PRIMARY KEY (`ID`),
  KEY `Group` (`Group Name`)
) ENGINE=InnoDB;

CREATE TABLE `order_lines` (
  `order_id` INT NOT NULL,
  `line` SMALLINT NOT NULL,
  `amount` DECIMAL(12,2) NOT NULL DEFAULT '0.00',
  PRIMARY KEY (`order_id`, `line`),
  CONSTRAINT `fk_lines_order` FOREIGN KEY (`order_id`) REFERENCES `Order` (`ID`) ON DELETE CASCADE ON UPDATE RESTRICT
) ENGINE=InnoDB;

CREATE TABLE `Mixed` (k INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE `mixed` (k INT PRIMARY KEY) ENGINE=InnoDB;

-- a table without a primary key, a MyISAM table, a partitioned table
CREATE TABLE audit_log (
  logged_at DATETIME NOT NULL,
  message VARCHAR(500) NOT NULL,
  KEY idx_audit_time (logged_at)
) ENGINE=MyISAM;

CREATE TABLE readings (
  sensor_id INT NOT NULL,
  taken_on DATE NOT NULL,
  value DOUBLE,
  PRIMARY KEY (sensor_id, taken_on)
) ENGINE=InnoDB
PARTITION BY RANGE (YEAR(taken_on)) (
  PARTITION p2023 VALUES LESS THAN (2024),
  PARTITION pmax VALUES LESS THAN MAXVALUE
);

CREATE EVENT purge_audit ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit_log WHERE logged_at < NOW() - INTERVAL 30 DAY;
