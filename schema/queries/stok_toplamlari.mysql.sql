-- Stock totals per product (the application's get_stok_toplamlari): for every product, what came
-- in (giris, iade), what went out (cikis, fire, zimmet), the net and the number of movements.
SELECT u.id, u.urun_adi, g.grup_adi,
       COALESCE(SUM(CASE WHEN h.hareket_tipi IN ('giris', 'iade') THEN h.miktar ELSE 0 END), 0) AS giren,
       COALESCE(SUM(CASE WHEN h.hareket_tipi IN ('cikis', 'fire', 'zimmet') THEN h.miktar ELSE 0 END), 0) AS cikan,
       COALESCE(SUM(CASE WHEN h.hareket_tipi IN ('giris', 'iade') THEN h.miktar
                         WHEN h.hareket_tipi IN ('cikis', 'fire', 'zimmet') THEN -h.miktar ELSE 0 END), 0) AS net,
       COUNT(h.id) AS hareket_sayisi
  FROM urunler u
  JOIN urun_gruplari g ON g.id = u.grup_id
  LEFT JOIN stok_hareketleri h ON h.urun_id = u.id
 GROUP BY u.id, u.urun_adi, g.grup_adi
 ORDER BY u.id
