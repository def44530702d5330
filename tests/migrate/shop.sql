-- tests/migrate/shop.sql: the database the migrate(1) tests move. Every problem a whole-database
-- migration meets, planted once: foreign keys with a cycle (departments <-> staff) and a
-- self-reference (staff.manager_id), ENUMs, JSON, a zero date, a table without a primary key,
-- composite and string primary keys, a table big enough to be split into chunks, an orphan.
SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';
SET FOREIGN_KEY_CHECKS = 0;
SET SESSION max_recursive_iterations = 100000;

CREATE TABLE departments (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(60) NOT NULL,
  head_id INT UNSIGNED NULL,
  UNIQUE KEY uq_departments_name (name),
  CONSTRAINT fk_departments_head FOREIGN KEY (head_id) REFERENCES staff (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE staff (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  department_id INT UNSIGNED NOT NULL,
  manager_id INT UNSIGNED NULL,
  name VARCHAR(80) NOT NULL,
  role ENUM('admin','depo','kat_sorumlusu','resepsiyon') NOT NULL DEFAULT 'resepsiyon',
  active TINYINT(1) NOT NULL DEFAULT 1,
  hired DATE NULL,
  KEY ix_staff_department (department_id),
  CONSTRAINT fk_staff_department FOREIGN KEY (department_id) REFERENCES departments (id),
  CONSTRAINT fk_staff_manager FOREIGN KEY (manager_id) REFERENCES staff (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE products (
  sku VARCHAR(20) NOT NULL PRIMARY KEY,
  name VARCHAR(120) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  attrs JSON NULL,
  added DATETIME NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE stock (
  room INT NOT NULL,
  sku VARCHAR(20) NOT NULL,
  qty SMALLINT NOT NULL,
  PRIMARY KEY (room, sku),
  CONSTRAINT fk_stock_sku FOREIGN KEY (sku) REFERENCES products (sku)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE movements (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sku VARCHAR(20) NOT NULL,
  staff_id INT UNSIGNED NOT NULL,
  kind ENUM('giris','cikis','sayim') NOT NULL,
  qty INT NOT NULL,
  at DATETIME(3) NOT NULL,
  note VARCHAR(200) NULL,
  KEY ix_movements_sku_at (sku, at),
  CONSTRAINT fk_movements_sku FOREIGN KEY (sku) REFERENCES products (sku),
  CONSTRAINT fk_movements_staff FOREIGN KEY (staff_id) REFERENCES staff (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE event_log (
  at DATETIME NOT NULL,
  level VARCHAR(10) NOT NULL,
  message TEXT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT INTO departments (id, name, head_id) VALUES (1, 'Kat Hizmetleri', 1), (2, 'Depo', 3), (3, 'Ön Büro', NULL);
INSERT INTO staff (id, department_id, manager_id, name, role, active, hired) VALUES
  (1, 1, NULL, 'Ayşe Yılmaz', 'kat_sorumlusu', 1, '2019-04-01'),
  (2, 1, 1, 'Mehmet Öztürk', 'kat_sorumlusu', 1, '2021-06-15'),
  (3, 2, NULL, 'Şule Çelik', 'depo', 1, '2018-01-10'),
  (4, 3, NULL, 'İsmail Güneş', 'resepsiyon', 0, '0000-00-00'),
  (5, 2, 3, 'Gökhan Ağaoğlu', 'admin', 1, NULL);
INSERT INTO products (sku, name, price, attrs, added) VALUES
  ('', 'Boş kod', 0.00, NULL, NULL),
  ('SU-05', 'Su 0,5 L', 12.50, '{"hacim": 500, "birim": "ml"}', '2024-01-02 10:00:00'),
  ('KOLA-33', 'Kola 33 cl', 35.00, '{"hacim": 330, "şeker": true}', '2024-01-02 10:00:00'),
  ('CIPS', 'Cips', 40.00, '[]', '2024-02-03 11:30:00'),
  ('cikolata', 'Çikolata', 55.90, '{"marka": "X", "alerjen": ["fındık"]}', NULL);
INSERT INTO stock (room, sku, qty) VALUES (101, 'SU-05', 2), (101, 'KOLA-33', 1), (102, 'SU-05', 2),
  (102, 'CIPS', 1), (201, 'cikolata', 3), (301, 'YOK-99', 1);
INSERT INTO event_log (at, level, message) VALUES ('2024-03-01 08:00:00', 'info', 'başladı'),
  ('2024-03-01 08:00:00', 'info', 'başladı'), ('2024-03-01 09:15:00', 'warn', NULL);

-- movements: enough rows to be split into chunks (the tests set a small chunk size); ids with gaps
INSERT INTO movements (id, sku, staff_id, kind, qty, at, note)
WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 3000)
SELECT n * 3 + (n DIV 1000) * 100000,
       ELT(1 + n MOD 4, 'SU-05', 'KOLA-33', 'CIPS', 'cikolata'),
       ELT(1 + n MOD 4, 1, 2, 3, 5),
       ELT(1 + n MOD 3, 'giris', 'cikis', 'sayim'),
       (n MOD 7) - 3,
       TIMESTAMP('2024-01-01 00:00:00') + INTERVAL n * 37 MINUTE + INTERVAL (n MOD 1000) * 1000 MICROSECOND,
       IF(n MOD 11 = 0, NULL, CONCAT('hareket ', n, ' — oda ', 100 + n MOD 50))
FROM seq;

SET FOREIGN_KEY_CHECKS = 1;
