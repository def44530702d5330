-- A member of staff's open assignments: each active zimmet with its number of lines and what is
-- still to be returned.
SELECT z.id, z.zimmet_tarihi, COUNT(d.id) AS satir, SUM(d.miktar) AS verilen, SUM(d.kalan_miktar) AS kalan
  FROM personel_zimmet z
  JOIN personel_zimmet_detay d ON d.zimmet_id = z.id
 WHERE z.personel_id = 25 AND z.durum = 'aktif'
 GROUP BY z.id, z.zimmet_tarihi
 ORDER BY z.zimmet_tarihi
