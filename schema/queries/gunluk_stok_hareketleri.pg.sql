-- expect-index: ix_stok_tarih
-- A day's stock movements (StokHareket): 15 June 2025, with product and the user who made them.
SELECT h.id, to_char(h.islem_tarihi, 'YYYY-MM-DD HH24:MI:SS'), h.hareket_tipi, h.miktar, u.urun_adi, u.barkod,
       k.kullanici_adi, h.aciklama
  FROM stok_hareketleri h
  JOIN urunler u ON u.id = h.urun_id
  LEFT JOIN kullanicilar k ON k.id = h.islem_yapan_id
 WHERE h.islem_tarihi >= '2025-06-15 00:00:00' AND h.islem_tarihi < '2025-06-16 00:00:00'
 ORDER BY h.islem_tarihi, h.id
