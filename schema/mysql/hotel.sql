-- The hotel minibar and stock application as it runs on MySQL/MariaDB today: the source of the
-- worked example (`make demo`, scripts/demo). InnoDB, utf8mb4. Load into an empty database:
--     mariadb hotel < schema/mysql/hotel.sql
-- then the sample data (schema/mysql/hotel-data.sql). The PostgreSQL schema the data moves into
-- is schema/postgres/hotel.sql.
SET NAMES utf8mb4;
SET SESSION foreign_key_checks = 0;

DROP TABLE IF EXISTS otomatik_raporlar, audit_logs, hata_loglari, sistem_loglari, sistem_ayarlari,
  qr_kod_okutma_loglari, minibar_dolum_talepleri, minibar_islem_detay, minibar_islemleri,
  personel_zimmet_detay, personel_zimmet, stok_hareketleri, urunler, urun_gruplari, odalar, katlar,
  kullanicilar, oteller;

-- hotels
CREATE TABLE oteller (
  id int NOT NULL AUTO_INCREMENT,
  ad varchar(200) NOT NULL,
  adres text,
  telefon varchar(20),
  email varchar(255),
  vergi_no varchar(20),
  aktif tinyint(1) NOT NULL DEFAULT 1,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  guncelleme_tarihi datetime NULL ON UPDATE current_timestamp(),
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- users: staff of a hotel, with a password hash and a role
CREATE TABLE kullanicilar (
  id int NOT NULL AUTO_INCREMENT,
  otel_id int NULL,
  kullanici_adi varchar(80) NOT NULL,
  sifre_hash varchar(255) NOT NULL,
  ad varchar(100) NOT NULL,
  soyad varchar(100) NOT NULL,
  email varchar(255),
  telefon varchar(20),
  rol enum('sistem_yoneticisi','admin','depo_sorumlusu','kat_sorumlusu') NOT NULL DEFAULT 'kat_sorumlusu',
  aktif tinyint(1) NOT NULL DEFAULT 1,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  son_giris datetime NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_kullanici_adi (kullanici_adi),
  KEY ix_kullanicilar_otel (otel_id),
  CONSTRAINT fk_kullanicilar_otel FOREIGN KEY (otel_id) REFERENCES oteller (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- floors of a hotel
CREATE TABLE katlar (
  id int NOT NULL AUTO_INCREMENT,
  otel_id int NOT NULL,
  kat_adi varchar(50) NOT NULL,
  kat_no int NOT NULL,
  aciklama text,
  aktif tinyint(1) NOT NULL DEFAULT 1,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (id),
  KEY ix_katlar_otel (otel_id),
  CONSTRAINT fk_katlar_otel FOREIGN KEY (otel_id) REFERENCES oteller (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- rooms, each with the token its QR code carries and the code's image (a data URI)
CREATE TABLE odalar (
  id int NOT NULL AUTO_INCREMENT,
  kat_id int NOT NULL,
  oda_no varchar(20) NOT NULL,
  oda_tipi varchar(50) NOT NULL,
  kapasite int NOT NULL DEFAULT 2,
  qr_kod_token varchar(64) NULL,
  qr_kod_gorsel text NULL,
  qr_kod_olusturma_tarihi datetime NULL,
  misafir_mesaji text NULL,
  aktif tinyint(1) NOT NULL DEFAULT 1,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (id),
  UNIQUE KEY uq_odalar_qr (qr_kod_token),
  KEY ix_odalar_kat (kat_id),
  CONSTRAINT fk_odalar_kat FOREIGN KEY (kat_id) REFERENCES katlar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- product groups (drinks, snacks, ...)
CREATE TABLE urun_gruplari (
  id int NOT NULL AUTO_INCREMENT,
  grup_adi varchar(100) NOT NULL,
  aciklama text,
  aktif tinyint(1) NOT NULL DEFAULT 1,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (id),
  UNIQUE KEY uq_grup_adi (grup_adi)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- products, with a unique barcode and a critical stock level
CREATE TABLE urunler (
  id int NOT NULL AUTO_INCREMENT,
  grup_id int NOT NULL,
  urun_adi varchar(200) NOT NULL,
  barkod varchar(50) NULL,
  birim varchar(20) NOT NULL DEFAULT 'Adet',
  kritik_stok_seviyesi int NOT NULL DEFAULT 10,
  alis_fiyati decimal(10,2) NULL,
  satis_fiyati decimal(10,2) NULL,
  aktif tinyint(1) NOT NULL DEFAULT 1,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (id),
  UNIQUE KEY uq_barkod (barkod),
  KEY ix_urunler_grup (grup_id),
  CONSTRAINT fk_urunler_grup FOREIGN KEY (grup_id) REFERENCES urun_gruplari (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- stock movements: in, out, count, waste, assignment, return
CREATE TABLE stok_hareketleri (
  id bigint NOT NULL AUTO_INCREMENT,
  urun_id int NOT NULL,
  hareket_tipi enum('giris','cikis','sayim','fire','zimmet','iade') NOT NULL,
  miktar int NOT NULL,
  aciklama varchar(500) NULL,
  islem_yapan_id int NULL,
  islem_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (id),
  KEY ix_stok_urun (urun_id),
  KEY ix_stok_kullanici (islem_yapan_id),
  KEY ix_stok_tarih (islem_tarihi),
  CONSTRAINT fk_stok_urun FOREIGN KEY (urun_id) REFERENCES urunler (id),
  CONSTRAINT fk_stok_kullanici FOREIGN KEY (islem_yapan_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- products handed to a member of staff (zimmet), and its lines
CREATE TABLE personel_zimmet (
  id int NOT NULL AUTO_INCREMENT,
  personel_id int NOT NULL,
  zimmet_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  iade_tarihi datetime NULL,
  teslim_eden_id int NULL,
  durum enum('aktif','tamamlandi','iptal') NOT NULL DEFAULT 'aktif',
  aciklama text,
  PRIMARY KEY (id),
  KEY ix_zimmet_personel (personel_id),
  KEY ix_zimmet_teslim_eden (teslim_eden_id),
  CONSTRAINT fk_zimmet_personel FOREIGN KEY (personel_id) REFERENCES kullanicilar (id),
  CONSTRAINT fk_zimmet_teslim_eden FOREIGN KEY (teslim_eden_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE personel_zimmet_detay (
  id int NOT NULL AUTO_INCREMENT,
  zimmet_id int NOT NULL,
  urun_id int NOT NULL,
  miktar int NOT NULL,
  kullanilan_miktar int NOT NULL DEFAULT 0,
  iade_edilen_miktar int NOT NULL DEFAULT 0,
  kalan_miktar int NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY ix_zimmet_detay_zimmet (zimmet_id),
  KEY ix_zimmet_detay_urun (urun_id),
  CONSTRAINT fk_zimmet_detay_zimmet FOREIGN KEY (zimmet_id) REFERENCES personel_zimmet (id),
  CONSTRAINT fk_zimmet_detay_urun FOREIGN KEY (urun_id) REFERENCES urunler (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- minibar operations on a room (first fill, check, refill, consumption), and their lines
CREATE TABLE minibar_islemleri (
  id bigint NOT NULL AUTO_INCREMENT,
  oda_id int NOT NULL,
  personel_id int NOT NULL,
  islem_tipi enum('ilk_dolum','kontrol','doldurma','tuketim') NOT NULL,
  islem_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  aciklama text,
  PRIMARY KEY (id),
  KEY ix_minibar_oda_tarih (oda_id, islem_tarihi),
  KEY ix_minibar_personel (personel_id),
  CONSTRAINT fk_minibar_oda FOREIGN KEY (oda_id) REFERENCES odalar (id),
  CONSTRAINT fk_minibar_personel FOREIGN KEY (personel_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE minibar_islem_detay (
  id bigint NOT NULL AUTO_INCREMENT,
  islem_id bigint NOT NULL,
  urun_id int NOT NULL,
  baslangic_stok int NOT NULL DEFAULT 0,
  bitis_stok int NOT NULL DEFAULT 0,
  tuketim int NOT NULL DEFAULT 0,
  eklenen_miktar int NOT NULL DEFAULT 0,
  zimmet_detay_id int NULL,
  PRIMARY KEY (id),
  KEY ix_minibar_detay_islem (islem_id),
  KEY ix_minibar_detay_urun (urun_id),
  KEY ix_minibar_detay_zimmet (zimmet_detay_id),
  CONSTRAINT fk_minibar_detay_islem FOREIGN KEY (islem_id) REFERENCES minibar_islemleri (id),
  CONSTRAINT fk_minibar_detay_urun FOREIGN KEY (urun_id) REFERENCES urunler (id),
  CONSTRAINT fk_minibar_detay_zimmet FOREIGN KEY (zimmet_detay_id) REFERENCES personel_zimmet_detay (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- refill requests a guest sends by scanning the room's QR code
CREATE TABLE minibar_dolum_talepleri (
  id int NOT NULL AUTO_INCREMENT,
  oda_id int NOT NULL,
  talep_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  durum enum('beklemede','tamamlandi','iptal') NOT NULL DEFAULT 'beklemede',
  tamamlanma_tarihi datetime NULL,
  notlar text,
  PRIMARY KEY (id),
  KEY ix_dolum_oda (oda_id),
  CONSTRAINT fk_dolum_oda FOREIGN KEY (oda_id) REFERENCES odalar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- every scan of a room's QR code
CREATE TABLE qr_kod_okutma_loglari (
  id bigint NOT NULL AUTO_INCREMENT,
  oda_id int NOT NULL,
  kullanici_id int NULL,
  okutma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  okutma_tipi enum('personel_kontrol','personel_doldurma','misafir_dolum_talebi') NOT NULL,
  ip_adresi varchar(45),
  user_agent varchar(500),
  basarili tinyint(1) NOT NULL DEFAULT 1,
  hata_mesaji varchar(500),
  PRIMARY KEY (id),
  KEY ix_qr_oda (oda_id),
  KEY ix_qr_kullanici (kullanici_id),
  CONSTRAINT fk_qr_oda FOREIGN KEY (oda_id) REFERENCES odalar (id),
  CONSTRAINT fk_qr_kullanici FOREIGN KEY (kullanici_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- settings: key and value
CREATE TABLE sistem_ayarlari (
  id int NOT NULL AUTO_INCREMENT,
  anahtar varchar(100) NOT NULL,
  deger text,
  aciklama varchar(500),
  guncelleme_tarihi datetime NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  PRIMARY KEY (id),
  UNIQUE KEY uq_anahtar (anahtar)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the application's own log: what was done, its details as JSON text (LONGTEXT, as the
-- application was written before MySQL had a JSON type, so nothing checks it)
CREATE TABLE sistem_loglari (
  id bigint NOT NULL AUTO_INCREMENT,
  kullanici_id int NULL,
  islem_tipi varchar(50) NOT NULL,
  modul varchar(50) NOT NULL,
  islem_detay longtext NULL,
  ip_adresi varchar(45),
  user_agent varchar(500),
  islem_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  PRIMARY KEY (id),
  KEY ix_sistem_log_kullanici (kullanici_id),
  KEY ix_sistem_log_tarih (islem_tarihi),
  CONSTRAINT fk_sistem_log_kullanici FOREIGN KEY (kullanici_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- errors the application caught
CREATE TABLE hata_loglari (
  id bigint NOT NULL AUTO_INCREMENT,
  hata_tipi varchar(100) NOT NULL,
  hata_mesaji text NOT NULL,
  stack_trace text,
  kullanici_id int NULL,
  url varchar(500),
  method varchar(10),
  ip_adresi varchar(45),
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  cozuldu tinyint(1) NOT NULL DEFAULT 0,
  cozum_notu text,
  PRIMARY KEY (id),
  KEY ix_hata_kullanici (kullanici_id),
  CONSTRAINT fk_hata_kullanici FOREIGN KEY (kullanici_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- the audit trail: who changed which row, its values before and after (JSON)
CREATE TABLE audit_logs (
  id bigint NOT NULL AUTO_INCREMENT,
  kullanici_id int NULL,
  kullanici_adi varchar(80),
  kullanici_rol varchar(50),
  islem_tipi enum('create','update','delete','login','logout','view','export') NOT NULL,
  tablo_adi varchar(100) NOT NULL,
  kayit_id int NULL,
  eski_deger json NULL,
  yeni_deger json NULL,
  degisiklik_ozeti text,
  http_method varchar(10),
  url varchar(500),
  ip_adresi varchar(45),
  user_agent varchar(500),
  islem_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  basarili tinyint(1) NOT NULL DEFAULT 1,
  hata_mesaji text,
  PRIMARY KEY (id),
  KEY ix_audit_kullanici (kullanici_id),
  KEY ix_audit_tablo_kayit (tablo_adi, kayit_id),
  KEY ix_audit_tarih (islem_tarihi),
  CONSTRAINT fk_audit_kullanici FOREIGN KEY (kullanici_id) REFERENCES kullanicilar (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- reports the application makes on a schedule, their data as JSON
CREATE TABLE otomatik_raporlar (
  id int NOT NULL AUTO_INCREMENT,
  rapor_tipi varchar(50) NOT NULL,
  baslik varchar(200) NOT NULL,
  rapor_verisi json NULL,
  olusturma_tarihi datetime NOT NULL DEFAULT current_timestamp(),
  periyot_baslangic date NULL,
  periyot_bitis date NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

SET SESSION foreign_key_checks = 1;
