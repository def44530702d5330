-- Critical-stock products (get_kritik_stok_urunler): active products whose stock, the last count
-- (sayim) plus the movements after it, is below the product's critical level.
SELECT k.id, k.urun_adi, k.kritik_stok_seviyesi, k.sayim_tarihi, k.stok
  FROM (SELECT u.id, u.urun_adi, u.kritik_stok_seviyesi, s.islem_tarihi AS sayim_tarihi,
               s.miktar + COALESCE((SELECT SUM(CASE WHEN m.hareket_tipi IN ('giris', 'iade') THEN m.miktar
                                                    WHEN m.hareket_tipi IN ('cikis', 'fire', 'zimmet') THEN -m.miktar
                                                    ELSE 0 END)
                                      FROM stok_hareketleri m
                                     WHERE m.urun_id = u.id AND m.islem_tarihi > s.islem_tarihi), 0) AS stok
          FROM urunler u
          JOIN stok_hareketleri s ON s.urun_id = u.id AND s.hareket_tipi = 'sayim'
           AND s.islem_tarihi = (SELECT MAX(x.islem_tarihi) FROM stok_hareketleri x
                                  WHERE x.urun_id = u.id AND x.hareket_tipi = 'sayim')
         WHERE u.aktif = 1) k
 WHERE k.stok < k.kritik_stok_seviyesi
 ORDER BY k.id
