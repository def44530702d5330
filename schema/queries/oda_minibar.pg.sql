-- expect-index: ix_minibar_oda_tarih
-- A room's minibar operations over a date range, with their lines (MinibarIslem with
-- selectinload): room 17, March to May 2025.
SELECT i.id, i.islem_tipi, to_char(i.islem_tarihi, 'YYYY-MM-DD HH24:MI:SS'), k.kullanici_adi, d.id AS detay_id,
       u.urun_adi, d.baslangic_stok, d.bitis_stok, d.tuketim, d.eklenen_miktar
  FROM minibar_islemleri i
  JOIN kullanicilar k ON k.id = i.personel_id
  JOIN minibar_islem_detay d ON d.islem_id = i.id
  JOIN urunler u ON u.id = d.urun_id
 WHERE i.oda_id = 17 AND i.islem_tarihi >= '2025-03-01 00:00:00' AND i.islem_tarihi < '2025-06-01 00:00:00'
 ORDER BY i.islem_tarihi, d.id
