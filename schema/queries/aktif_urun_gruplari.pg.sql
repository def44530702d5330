-- Active product groups (get_aktif_urun_gruplari), each with its number of active products.
SELECT g.id, g.grup_adi, g.aciklama, count(u.id) AS aktif_urun
  FROM urun_gruplari g
  LEFT JOIN urunler u ON u.grup_id = g.id AND u.aktif
 WHERE g.aktif
 GROUP BY g.id, g.grup_adi, g.aciklama
 ORDER BY g.grup_adi
