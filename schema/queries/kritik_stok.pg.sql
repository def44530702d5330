-- expect-index: ix_stok_urun_tarih
-- Critical-stock products (get_kritik_stok_urunler): active products whose stock, the last count
-- (sayim) plus the movements after it, is below the product's critical level.
SELECT k.id, k.urun_adi, k.kritik_stok_seviyesi, to_char(k.sayim_tarihi, 'YYYY-MM-DD HH24:MI:SS'), k.stok
  FROM (SELECT u.id, u.urun_adi, u.kritik_stok_seviyesi, s.islem_tarihi AS sayim_tarihi,
               s.miktar + COALESCE((SELECT sum(CASE WHEN m.hareket_tipi IN ('giris', 'iade') THEN m.miktar
                                                    WHEN m.hareket_tipi IN ('cikis', 'fire', 'zimmet') THEN -m.miktar
                                                    ELSE 0 END)
                                      FROM stok_hareketleri m
                                     WHERE m.urun_id = u.id AND m.islem_tarihi > s.islem_tarihi), 0) AS stok
          FROM urunler u
         CROSS JOIN LATERAL (SELECT c.islem_tarihi, c.miktar FROM stok_hareketleri c
                              WHERE c.urun_id = u.id AND c.hareket_tipi = 'sayim'
                              ORDER BY c.islem_tarihi DESC LIMIT 1) s
         WHERE u.aktif) k
 WHERE k.stok < k.kritik_stok_seviyesi
 ORDER BY k.id
