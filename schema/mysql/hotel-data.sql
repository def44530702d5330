-- Sample data for the hotel application (schema/mysql/hotel.sql): deterministic, made inside
-- MariaDB from its Sequence engine, the same bytes for the same @scale and @seed.
--     { echo 'SET @scale = 1, @seed = 1;'; cat schema/mysql/hotel-data.sql; } | mariadb hotel
-- @scale 1 (the default) is a small chain: 3 hotels, 300 rooms, 60 staff, 128 products and a
-- year (2025) of stock movements, assignments, minibar operations, QR scans, logs and audit
-- entries: about 310,000 rows. Rows grow linearly with @scale (whole numbers).
-- Pseudo-random choices are CRC32 of (seed, what, row number), so a row does not depend on the
-- server's RAND() or on the order rows are made in.
--
-- Four legacy oddities a ten-year-old MySQL database really has are planted, one each:
--   minibar_dolum_talepleri id 7  tamamlanma_tarihi is the zero date 0000-00-00 00:00:00
--   hata_loglari id 5             the TINYINT(1) flag cozuldu holds 2
--   sistem_loglari id 11          islem_detay (LONGTEXT holding JSON) is not valid JSON
--   minibar_islem_detay (last)    an orphan: its islem_id names no minibar operation
--                                 (inserted with foreign_key_checks=0)
SET NAMES utf8mb4;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
SET SESSION time_zone = '+00:00';
SET @scale = GREATEST(1, FLOOR(COALESCE(@scale, 1)));
SET @seed = COALESCE(@seed, 1);
SET @hotels = 3 * @scale;
SET @floors = @hotels * 5;
SET @rooms = @floors * 20;
SET @users = @hotels * 20;
SET @groups = 8;
SET @products = 128;
SET @moves = 60000 * @scale;
SET @zimmet = 2000 * @scale;
SET @zimmet_lines = @zimmet * 5;
SET @minibar = 40000 * @scale;
SET @minibar_lines = @minibar * 3;
SET @requests = 5000 * @scale;
SET @scans = 30000 * @scale;
SET @syslogs = 20000 * @scale;
SET @errors = 1500 * @scale;
SET @audits = 20000 * @scale;
SET @reports = 365 * @scale;
SET @t0 = TIMESTAMP '2025-01-01 00:00:00';
SET @year = 365 * 86400;

DELETE FROM otomatik_raporlar; DELETE FROM audit_logs; DELETE FROM hata_loglari;
DELETE FROM sistem_loglari; DELETE FROM sistem_ayarlari; DELETE FROM qr_kod_okutma_loglari;
DELETE FROM minibar_dolum_talepleri;
SET SESSION foreign_key_checks = 0;
DELETE FROM minibar_islem_detay; DELETE FROM minibar_islemleri; DELETE FROM personel_zimmet_detay;
DELETE FROM personel_zimmet; DELETE FROM stok_hareketleri; DELETE FROM urunler;
DELETE FROM urun_gruplari; DELETE FROM odalar; DELETE FROM katlar; DELETE FROM kullanicilar;
DELETE FROM oteller;
SET SESSION foreign_key_checks = 1;

INSERT INTO oteller (id, ad, adres, telefon, email, vergi_no, aktif, olusturma_tarihi, guncelleme_tarihi)
SELECT seq,
       CONCAT(ELT(1 + (seq - 1) % 8, 'Grand Boğaziçi Otel', 'Kapadokya Taş Konak', 'Ege Mavisi Resort',
                  'Pamukkale Termal Otel', 'Antalya Işıklar Palace', 'Çeşme Rüzgâr Butik',
                  'Uzungöl Dağ Evi', 'İzmir Kordon Otel'),
              IF(seq > 8, CONCAT(' ', 1 + (seq - 1) DIV 8), '')),
       ELT(1 + (seq - 1) % 8, 'Çırağan Cad. No:32, Beşiktaş, İstanbul', 'Aydınlı Mah. 12, Göreme, Nevşehir',
           'Gümüşlük Sahili, Bodrum, Muğla', 'Pamukkale Mah. 5, Denizli', 'Lara Yolu 204, Muratpaşa, Antalya',
           'Alaçatı, Çeşme, İzmir', 'Uzungöl Mevkii, Çaykara, Trabzon', 'Kordonboyu 88, Konak, İzmir'),
       CONCAT('+90 ', 212 + seq % 300, ' ', LPAD(CRC32(CONCAT_WS('/', @seed, 'tel', seq)) % 10000000, 7, '0')),
       CONCAT('rezervasyon', seq, '@otel.example'),
       LPAD(CRC32(CONCAT_WS('/', @seed, 'vergi', seq)) % 10000000000, 10, '0'),
       1,
       @t0 - INTERVAL (3000 - seq) DAY,
       IF(seq % 2 = 0, @t0 + INTERVAL seq DAY, NULL)
  FROM seq_1_to_1000000000 WHERE seq <= @hotels;

-- 20 staff per hotel: one admin, two storekeepers, the rest floor staff; user 1 runs the system
INSERT INTO kullanicilar (id, otel_id, kullanici_adi, sifre_hash, ad, soyad, email, telefon, rol, aktif,
                          olusturma_tarihi, son_giris)
SELECT seq,
       IF(seq = 1, NULL, 1 + (seq - 1) DIV 20),
       CONCAT(ELT(1 + (seq * 7) % 20, 'ahmet', 'ayse', 'mehmet', 'fatma', 'mustafa', 'emine', 'ali', 'hatice',
                  'huseyin', 'zeynep', 'ibrahim', 'elif', 'cagri', 'gokhan', 'sukru', 'oznur', 'umit', 'ilgin',
                  'dogan', 'gulsen'),
              '.', ELT(1 + (seq * 11) % 20, 'yilmaz', 'kaya', 'demir', 'sahin', 'celik', 'yildiz', 'yildirim',
                  'ozturk', 'aydin', 'ozdemir', 'arslan', 'dogan', 'kilic', 'aslan', 'cetin', 'kara', 'koc', 'kurt',
                  'ozkan', 'simsek'), seq),
       CONCAT('pbkdf2:sha256:600000$', LEFT(MD5(CONCAT_WS('/', @seed, 'salt', seq)), 16), '$',
              SHA2(CONCAT_WS('/', @seed, 'parola', seq), 256)),
       ELT(1 + (seq * 7) % 20, 'Ahmet', 'Ayşe', 'Mehmet', 'Fatma', 'Mustafa', 'Emine', 'Ali', 'Hatice', 'Hüseyin',
           'Zeynep', 'İbrahim', 'Elif', 'Çağrı', 'Gökhan', 'Şükrü', 'Öznur', 'Ümit', 'Ilgın', 'Doğan', 'Gülşen'),
       ELT(1 + (seq * 11) % 20, 'Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk',
           'Aydın', 'Özdemir', 'Arslan', 'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan', 'Şimşek'),
       CONCAT('personel', seq, '@otel.example'),
       CONCAT('+90 5', LPAD(CRC32(CONCAT_WS('/', @seed, 'gsm', seq)) % 1000000000, 9, '0')),
       CASE WHEN seq = 1 THEN 'sistem_yoneticisi' WHEN (seq - 1) % 20 = 1 THEN 'admin'
            WHEN (seq - 1) % 20 IN (2, 3) THEN 'depo_sorumlusu' ELSE 'kat_sorumlusu' END,
       IF(CRC32(CONCAT_WS('/', @seed, 'aktif', seq)) % 10 = 0, 0, 1),
       @t0 - INTERVAL (900 - seq % 800) DAY,
       IF(seq % 9 = 0, NULL, @t0 + INTERVAL (CRC32(CONCAT_WS('/', @seed, 'giris', seq)) % @year) SECOND)
  FROM seq_1_to_1000000000 WHERE seq <= @users;

INSERT INTO katlar (id, otel_id, kat_adi, kat_no, aciklama, aktif, olusturma_tarihi)
SELECT seq, 1 + (seq - 1) DIV 5, CONCAT(1 + (seq - 1) % 5, '. Kat'), 1 + (seq - 1) % 5,
       IF((seq - 1) % 5 = 4, 'Çatı katı; süit odalar', NULL), 1, @t0 - INTERVAL 1000 DAY
  FROM seq_1_to_1000000000 WHERE seq <= @floors;

INSERT INTO odalar (id, kat_id, oda_no, oda_tipi, kapasite, qr_kod_token, qr_kod_gorsel, qr_kod_olusturma_tarihi,
                    misafir_mesaji, aktif, olusturma_tarihi)
SELECT seq, 1 + (seq - 1) DIV 20,
       CONCAT(1 + ((seq - 1) DIV 20) % 5, LPAD(1 + (seq - 1) % 20, 2, '0')),
       ELT(1 + CRC32(CONCAT_WS('/', @seed, 'tip', seq)) % 4, 'Standart', 'Deniz Manzaralı', 'Aile Odası', 'Süit'),
       1 + CRC32(CONCAT_WS('/', @seed, 'kap', seq)) % 4,
       LEFT(SHA2(CONCAT_WS('/', @seed, 'qr', seq), 256), 48),
       CONCAT('data:image/png;base64,', TO_BASE64(UNHEX(SHA2(CONCAT_WS('/', @seed, 'png', seq), 512)))),
       @t0 - INTERVAL (CRC32(CONCAT_WS('/', @seed, 'qrt', seq)) % 200) DAY,
       IF(seq % 3 = 0, 'Hoş geldiniz! Minibar için QR kodu okutun; eksikleri hemen tamamlarız.', NULL),
       IF(seq % 50 = 0, 0, 1),
       @t0 - INTERVAL 1000 DAY
  FROM seq_1_to_1000000000 WHERE seq <= @rooms;

INSERT INTO urun_gruplari (id, grup_adi, aciklama, aktif, olusturma_tarihi)
SELECT seq,
       ELT(seq, 'Alkolsüz İçecekler', 'Alkollü İçecekler', 'Atıştırmalıklar', 'Çikolata ve Şekerleme',
           'Kuruyemiş', 'Sıcak İçecekler', 'Kişisel Bakım', 'Su ve Maden Suyu'),
       ELT(seq, 'Gazlı ve gazsız içecekler', 'Yalnızca 18 yaş üstü misafirlere', 'Tuzlu atıştırmalıklar',
           'Tatlılar, lokum, çikolata', 'Kavrulmuş ve çiğ kuruyemiş', 'Kahve, çay ve bitki çayları',
           'Unutulan şeyler için', 'Doğal kaynak ve maden suları'),
       IF(seq = 2, 0, 1),
       @t0 - INTERVAL 1000 DAY
  FROM seq_1_to_8;

-- 16 products per group: eight items, each in a standard and a large size
INSERT INTO urunler (id, grup_id, urun_adi, barkod, birim, kritik_stok_seviyesi, alis_fiyati, satis_fiyati, aktif,
                     olusturma_tarihi)
SELECT seq, 1 + (seq - 1) DIV 16,
       CONCAT(ELT(1 + (seq - 1) DIV 16,
                  ELT(1 + (seq - 1) % 8, 'Kola', 'Gazoz', 'Şalgam Suyu', 'Ayran', 'Vişne Suyu', 'Şeftali Suyu', 'Soda', 'Limonata'),
                  ELT(1 + (seq - 1) % 8, 'Rakı', 'Bira', 'Kırmızı Şarap', 'Beyaz Şarap', 'Viski', 'Votka', 'Cin', 'Likör'),
                  ELT(1 + (seq - 1) % 8, 'Cips', 'Kraker', 'Simit Kraker', 'Mısır Cipsi', 'Gofret', 'Bisküvi', 'Kek', 'Patlamış Mısır'),
                  ELT(1 + (seq - 1) % 8, 'Sütlü Çikolata', 'Bitter Çikolata', 'Fındıklı Çikolata', 'Lokum', 'Akide Şekeri',
                      'Pişmaniye', 'Helva', 'Cezerye'),
                  ELT(1 + (seq - 1) % 8, 'Antep Fıstığı', 'Fındık', 'Badem', 'Kaju', 'Leblebi', 'Ay Çekirdeği',
                      'Kabak Çekirdeği', 'Karışık Kuruyemiş'),
                  ELT(1 + (seq - 1) % 8, 'Türk Kahvesi', 'Çay', 'Bitki Çayı', 'Sıcak Çikolata', 'Salep', 'Granül Kahve',
                      'Ihlamur', 'Adaçayı'),
                  ELT(1 + (seq - 1) % 8, 'Diş Fırçası', 'Tıraş Seti', 'Şampuan', 'Duş Jeli', 'Kolonya', 'Islak Mendil',
                      'Tarak', 'Dikiş Seti'),
                  ELT(1 + (seq - 1) % 8, 'Su 0,5 L', 'Su 1,5 L', 'Maden Suyu', 'Meyveli Soda', 'Doğal Kaynak Suyu',
                      'Cam Şişe Su', 'Alkali Su', 'Mineralli Su')),
              IF((seq - 1) % 16 >= 8, ' (Büyük Boy)', '')),
       CONCAT('869', LPAD(seq * 7919 % 1000000000, 9, '0'), seq % 10),
       IF(1 + (seq - 1) DIV 16 IN (1, 2, 8), 'Şişe', 'Adet'),
       5 + CRC32(CONCAT_WS('/', @seed, 'kritik', seq)) % 20,
       (100 + CRC32(CONCAT_WS('/', @seed, 'alis', seq)) % 9900) / 100,
       (150 + CRC32(CONCAT_WS('/', @seed, 'alis', seq)) % 9900) * 2 / 100,
       IF(seq % 23 = 0, 0, 1),
       @t0 - INTERVAL 900 DAY
  FROM seq_1_to_1000000000 WHERE seq <= @products;

INSERT INTO stok_hareketleri (id, urun_id, hareket_tipi, miktar, aciklama, islem_yapan_id, islem_tarihi)
SELECT seq,
       1 + CRC32(CONCAT_WS('/', @seed, 'su', seq)) % @products,
       ELT(1 + CRC32(CONCAT_WS('/', @seed, 'sh', seq)) % 10, 'giris', 'giris', 'cikis', 'cikis', 'cikis', 'zimmet',
           'zimmet', 'sayim', 'fire', 'iade'),
       1 + CRC32(CONCAT_WS('/', @seed, 'sm', seq)) % 48,
       IF(seq % 5 = 0, ELT(1 + seq % 4, 'Tedarikçiden gelen sevkiyat', 'Ay sonu sayımı', 'Son kullanma tarihi geçti',
                           'Kat görevlisine zimmet'), NULL),
       IF(seq % 40 = 0, NULL, 2 + CRC32(CONCAT_WS('/', @seed, 'sk', seq)) % (@users - 1)),
       @t0 + INTERVAL (seq * @year DIV @moves) SECOND
  FROM seq_1_to_1000000000 WHERE seq <= @moves;

INSERT INTO personel_zimmet (id, personel_id, zimmet_tarihi, iade_tarihi, teslim_eden_id, durum, aciklama)
SELECT seq,
       2 + CRC32(CONCAT_WS('/', @seed, 'zp', seq)) % (@users - 1),
       @t0 + INTERVAL (seq * @year DIV @zimmet) SECOND,
       IF(seq % 4 = 0, NULL, @t0 + INTERVAL (seq * @year DIV @zimmet + 8 * 3600) SECOND),
       IF(seq % 17 = 0, NULL, 2 + CRC32(CONCAT_WS('/', @seed, 'zt', seq)) % (@users - 1)),
       IF(seq % 4 = 0, 'aktif', IF(seq % 31 = 0, 'iptal', 'tamamlandi')),
       IF(seq % 6 = 0, 'Vardiya başı zimmet; akşam iade edilecek.', NULL)
  FROM seq_1_to_1000000000 WHERE seq <= @zimmet;

INSERT INTO personel_zimmet_detay (id, zimmet_id, urun_id, miktar, kullanilan_miktar, iade_edilen_miktar, kalan_miktar)
SELECT seq, 1 + (seq - 1) DIV 5,
       1 + ((seq - 1) % 5) * 16 + CRC32(CONCAT_WS('/', @seed, 'zu', seq)) % 16,
       10 + CRC32(CONCAT_WS('/', @seed, 'zm', seq)) % 30,
       CRC32(CONCAT_WS('/', @seed, 'zk', seq)) % 10,
       CRC32(CONCAT_WS('/', @seed, 'zi', seq)) % 5,
       0
  FROM seq_1_to_1000000000 WHERE seq <= @zimmet_lines;
UPDATE personel_zimmet_detay SET kalan_miktar = miktar - kullanilan_miktar - iade_edilen_miktar;

-- minibar operations: a room's floor staff of its own hotel
INSERT INTO minibar_islemleri (id, oda_id, personel_id, islem_tipi, islem_tarihi, aciklama)
SELECT seq, oda, 20 * ((oda - 1) DIV 100) + 5 + CRC32(CONCAT_WS('/', @seed, 'mp', seq)) % 16,
       ELT(1 + CRC32(CONCAT_WS('/', @seed, 'mt', seq)) % 10, 'kontrol', 'kontrol', 'kontrol', 'kontrol', 'doldurma',
           'doldurma', 'doldurma', 'tuketim', 'tuketim', 'ilk_dolum'),
       @t0 + INTERVAL (seq * @year DIV @minibar) SECOND,
       IF(seq % 13 = 0, ELT(1 + seq % 3, 'Misafir odada değildi', 'Kapıda "Rahatsız Etmeyin" kartı', 'Eksikler tamamlandı'), NULL)
  FROM (SELECT seq, 1 + CRC32(CONCAT_WS('/', @seed, 'mo', seq)) % @rooms AS oda
          FROM seq_1_to_1000000000 WHERE seq <= @minibar) r
 ORDER BY seq;

INSERT INTO minibar_islem_detay (id, islem_id, urun_id, baslangic_stok, bitis_stok, tuketim, eklenen_miktar, zimmet_detay_id)
SELECT seq, 1 + (seq - 1) DIV 3,
       1 + ((seq - 1) % 3) * 16 + CRC32(CONCAT_WS('/', @seed, 'du', seq)) % 16,
       2 + CRC32(CONCAT_WS('/', @seed, 'db', seq)) % 4,
       CRC32(CONCAT_WS('/', @seed, 'dc', seq)) % 2,
       CRC32(CONCAT_WS('/', @seed, 'dt', seq)) % 3,
       CRC32(CONCAT_WS('/', @seed, 'de', seq)) % 3,
       IF(seq % 7 = 0, 1 + CRC32(CONCAT_WS('/', @seed, 'dz', seq)) % @zimmet_lines, NULL)
  FROM seq_1_to_1000000000 WHERE seq <= @minibar_lines;

INSERT INTO minibar_dolum_talepleri (id, oda_id, talep_tarihi, durum, tamamlanma_tarihi, notlar)
SELECT seq, 1 + CRC32(CONCAT_WS('/', @seed, 'to', seq)) % @rooms,
       @t0 + INTERVAL (seq * @year DIV @requests) SECOND,
       IF(seq % 10 = 0, 'beklemede', IF(seq % 29 = 0, 'iptal', 'tamamlandi')),
       -- planted: a zero date, as old MySQL applications wrote for "not yet"
       IF(seq = 7, '0000-00-00 00:00:00',
          IF(seq % 10 = 0 OR seq % 29 = 0, NULL, @t0 + INTERVAL (seq * @year DIV @requests + 1800) SECOND)),
       IF(seq % 8 = 0, ELT(1 + seq % 3, 'Su eksik', 'Çikolata istiyoruz, lütfen', 'Çocuklar için meyve suyu'), NULL)
  FROM seq_1_to_1000000000 WHERE seq <= @requests;

INSERT INTO qr_kod_okutma_loglari (id, oda_id, kullanici_id, okutma_tarihi, okutma_tipi, ip_adresi, user_agent, basarili,
                                   hata_mesaji)
SELECT seq, 1 + CRC32(CONCAT_WS('/', @seed, 'qo', seq)) % @rooms,
       IF(seq % 6 = 0, NULL, 2 + CRC32(CONCAT_WS('/', @seed, 'qk', seq)) % (@users - 1)),
       @t0 + INTERVAL (seq * @year DIV @scans) SECOND,
       IF(seq % 6 = 0, 'misafir_dolum_talebi', IF(seq % 2 = 0, 'personel_doldurma', 'personel_kontrol')),
       CONCAT('10.', seq % 4, '.', (seq DIV 7) % 256, '.', 1 + seq % 254),
       ELT(1 + seq % 3, 'Mozilla/5.0 (Linux; Android 14) Mobile', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1)',
           'OtelTablet/3.2 (Android 12)'),
       IF(seq % 97 = 0, 0, 1),
       IF(seq % 97 = 0, 'Geçersiz ya da süresi dolmuş QR kodu', NULL)
  FROM seq_1_to_1000000000 WHERE seq <= @scans;

INSERT INTO sistem_ayarlari (id, anahtar, deger, aciklama, guncelleme_tarihi) VALUES
  (1, 'otel_adi', 'Otel Minibar Takip', 'Uygulamanın başlığı', '2024-11-02 10:00:00'),
  (2, 'varsayilan_dil', 'tr', 'Arayüz dili', '2024-11-02 10:00:00'),
  (3, 'saat_dilimi', 'Europe/Istanbul', 'Tarihler bu saat diliminde gösterilir', '2024-11-02 10:00:00'),
  (4, 'kritik_stok_uyarisi', '1', 'Kritik stok e-postası gönderilsin mi', '2024-11-02 10:00:00'),
  (5, 'rapor_saati', '06:30', 'Günlük raporun hazırlandığı saat', '2024-12-15 08:12:00'),
  (6, 'oturum_suresi_dk', '480', 'Oturum zaman aşımı (dakika)', '2024-11-02 10:00:00'),
  (7, 'qr_gecerlilik_gun', '365', 'QR kodunun geçerlilik süresi', '2024-11-02 10:00:00'),
  (8, 'para_birimi', 'TRY', 'Fiyatların para birimi (₺)', '2024-11-02 10:00:00'),
  (9, 'kdv_orani', '20', 'KDV oranı (%)', '2025-01-01 00:00:00'),
  (10, 'yedekleme_saati', '02:00', 'Günlük yedeğin alındığı saat', '2024-11-02 10:00:00'),
  (11, 'bakim_modu', '0', 'Bakım modunda yalnızca yöneticiler girebilir', '2024-11-02 10:00:00'),
  (12, 'destek_eposta', 'destek@otel.example', 'Hata bildirimlerinin gittiği adres', '2024-11-02 10:00:00');

INSERT INTO sistem_loglari (id, kullanici_id, islem_tipi, modul, islem_detay, ip_adresi, user_agent, islem_tarihi)
SELECT seq, IF(seq % 25 = 0, NULL, 1 + CRC32(CONCAT_WS('/', @seed, 'lk', seq)) % @users),
       ELT(1 + seq % 5, 'giris', 'stok_giris', 'zimmet_verme', 'minibar_kontrol', 'rapor_olusturma'),
       ELT(1 + seq % 5, 'auth', 'stok', 'zimmet', 'minibar', 'rapor'),
       -- planted: one detail that is not valid JSON (a truncated write)
       IF(seq = 11, '{"urun_id": 17, "miktar": 3, "not": "yarım kalmış kayıt',
          JSON_OBJECT('urun_id', 1 + seq % @products, 'miktar', 1 + seq % 12,
                      'oda', IF(seq % 5 = 3, 1 + seq % @rooms, NULL), 'basarili', seq % 50 <> 0,
                      'not', IF(seq % 9 = 0, 'Gece vardiyası: ışıklar kapalı, oda boş', NULL))),
       CONCAT('10.0.', (seq DIV 3) % 256, '.', 1 + seq % 254),
       'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
       @t0 + INTERVAL (seq * @year DIV @syslogs) SECOND
  FROM seq_1_to_1000000000 WHERE seq <= @syslogs;

INSERT INTO hata_loglari (id, hata_tipi, hata_mesaji, stack_trace, kullanici_id, url, method, ip_adresi, olusturma_tarihi,
                          cozuldu, cozum_notu)
SELECT seq, ELT(1 + seq % 4, 'OperationalError', 'IntegrityError', 'ValueError', 'TimeoutError'),
       ELT(1 + seq % 4, '(2006, ''MySQL server has gone away'')', 'Duplicate entry for key ''uq_barkod''',
           'Geçersiz miktar: -3', 'İstek zaman aşımına uğradı'),
       IF(seq % 3 = 0, CONCAT('Traceback (most recent call last):\n  File "app/routes/stok.py", line ', 100 + seq % 300,
                              ', in stok_giris\n    db.session.commit()'), NULL),
       IF(seq % 4 = 0, NULL, 2 + CRC32(CONCAT_WS('/', @seed, 'hk', seq)) % (@users - 1)),
       ELT(1 + seq % 3, '/stok/giris', '/minibar/kontrol', '/zimmet/iade'),
       IF(seq % 2 = 0, 'POST', 'GET'),
       CONCAT('10.1.', (seq DIV 5) % 256, '.', 1 + seq % 254),
       @t0 + INTERVAL (seq * @year DIV @errors) SECOND,
       -- planted: a TINYINT(1) flag holding 2
       IF(seq = 5, 2, seq % 3 = 0),
       IF(seq % 3 = 0, 'Bağlantı havuzu ayarlandı', NULL)
  FROM seq_1_to_1000000000 WHERE seq <= @errors;

INSERT INTO audit_logs (id, kullanici_id, kullanici_adi, kullanici_rol, islem_tipi, tablo_adi, kayit_id, eski_deger,
                        yeni_deger, degisiklik_ozeti, http_method, url, ip_adresi, user_agent, islem_tarihi, basarili,
                        hata_mesaji)
SELECT a.seq, u.id, u.kullanici_adi, u.rol, a.tip,
       ELT(1 + seq % 4, 'urunler', 'stok_hareketleri', 'personel_zimmet', 'minibar_islemleri'),
       IF(a.tip IN ('login', 'logout'), NULL, 1 + seq % 1000),
       IF(a.tip IN ('update', 'delete'),
          JSON_OBJECT('stok', seq % 200, 'fiyat', (seq % 9000) / 100, 'aktif', TRUE,
                      'urun_adi', ELT(1 + seq % 4, 'Kola', 'Türk Kahvesi', 'Fındıklı Çikolata', 'Şalgam Suyu')), NULL),
       IF(a.tip IN ('create', 'update'),
          JSON_OBJECT('stok', (seq + 7) % 200, 'fiyat', (seq % 9000) / 100, 'aktif', seq % 11 <> 0,
                      'urun_adi', ELT(1 + seq % 4, 'Kola', 'Türk Kahvesi', 'Fındıklı Çikolata', 'Şalgam Suyu'),
                      'etiketler', JSON_ARRAY('minibar', ELT(1 + seq % 3, 'içecek', 'atıştırmalık', 'bakım'))), NULL),
       CASE a.tip WHEN 'update' THEN 'stok ve fiyat güncellendi' WHEN 'create' THEN 'yeni kayıt'
                  WHEN 'delete' THEN 'kayıt silindi' ELSE NULL END,
       IF(a.tip IN ('create', 'update', 'delete', 'login'), 'POST', 'GET'),
       ELT(1 + seq % 4, '/urunler', '/stok', '/zimmet', '/minibar'),
       CONCAT('10.2.', (seq DIV 11) % 256, '.', 1 + seq % 254),
       'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)',
       @t0 + INTERVAL (seq * @year DIV @audits) SECOND,
       IF(seq % 61 = 0, 0, 1),
       IF(seq % 61 = 0, 'Yetkisiz işlem', NULL)
  FROM (SELECT seq, ELT(1 + CRC32(CONCAT_WS('/', @seed, 'at', seq)) % 10, 'update', 'update', 'update', 'create',
                        'create', 'delete', 'login', 'logout', 'view', 'export') AS tip,
               1 + CRC32(CONCAT_WS('/', @seed, 'au', seq)) % @users AS kullanici
          FROM seq_1_to_1000000000 WHERE seq <= @audits) a
  JOIN kullanicilar u ON u.id = a.kullanici
 ORDER BY seq;

INSERT INTO otomatik_raporlar (id, rapor_tipi, baslik, rapor_verisi, olusturma_tarihi, periyot_baslangic, periyot_bitis)
SELECT seq, 'gunluk_stok', CONCAT('Günlük stok raporu — otel ', 1 + (seq - 1) % @hotels, ', ',
                                   DATE(@t0 + INTERVAL ((seq - 1) DIV @hotels) DAY)),
       JSON_OBJECT('otel_id', 1 + (seq - 1) % @hotels, 'toplam_hareket', 100 + CRC32(CONCAT_WS('/', @seed, 'rh', seq)) % 400,
                   'kritik_urunler', JSON_ARRAY(1 + seq % @products, 1 + (seq * 3) % @products),
                   'tuketim_tl', (CRC32(CONCAT_WS('/', @seed, 'rt', seq)) % 500000) / 100),
       @t0 + INTERVAL ((seq - 1) DIV @hotels) DAY + INTERVAL 6 HOUR + INTERVAL 30 MINUTE,
       DATE(@t0 + INTERVAL ((seq - 1) DIV @hotels) DAY) - INTERVAL 1 DAY,
       DATE(@t0 + INTERVAL ((seq - 1) DIV @hotels) DAY) - INTERVAL 1 DAY
  FROM seq_1_to_1000000000 WHERE seq <= @reports;

-- planted: an orphaned minibar line, written while foreign key checks were off
SET SESSION foreign_key_checks = 0;
INSERT INTO minibar_islem_detay (id, islem_id, urun_id, baslangic_stok, bitis_stok, tuketim, eklenen_miktar, zimmet_detay_id)
VALUES (@minibar_lines + 1, @minibar + 1000, 3, 4, 1, 3, 0, NULL);
SET SESSION foreign_key_checks = 1;

-- fresh statistics: migrate plans its chunks from the row estimates
ANALYZE TABLE oteller, kullanicilar, katlar, odalar, urun_gruplari, urunler, stok_hareketleri, personel_zimmet,
  personel_zimmet_detay, minibar_islemleri, minibar_islem_detay, minibar_dolum_talepleri, qr_kod_okutma_loglari,
  sistem_ayarlari, sistem_loglari, hata_loglari, audit_logs, otomatik_raporlar;
