-- expect-index: ix_zimmet_aktif
-- A member of staff's open assignments: each active zimmet with its number of lines and what is
-- still to be returned.
SELECT z.id, to_char(z.zimmet_tarihi, 'YYYY-MM-DD HH24:MI:SS'), count(d.id) AS satir, sum(d.miktar) AS verilen,
       sum(d.kalan_miktar) AS kalan
  FROM personel_zimmet z
  JOIN personel_zimmet_detay d ON d.zimmet_id = z.id
 WHERE z.personel_id = 25 AND z.durum = 'aktif'
 GROUP BY z.id, z.zimmet_tarihi
 ORDER BY z.zimmet_tarihi
