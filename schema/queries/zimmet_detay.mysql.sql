-- An assignment (zimmet) with its details, as PersonelZimmet is loaded with joinedload: the
-- assignment, who holds it, who handed it over, and each line with its product.
SELECT z.id, z.durum, z.zimmet_tarihi, z.iade_tarihi, p.ad, p.soyad, t.kullanici_adi AS teslim_eden,
       d.id AS detay_id, u.urun_adi, d.miktar, d.kullanilan_miktar, d.iade_edilen_miktar, d.kalan_miktar
  FROM personel_zimmet z
  JOIN kullanicilar p ON p.id = z.personel_id
  LEFT JOIN kullanicilar t ON t.id = z.teslim_eden_id
  JOIN personel_zimmet_detay d ON d.zimmet_id = z.id
  JOIN urunler u ON u.id = d.urun_id
 WHERE z.id = 1236
 ORDER BY d.id
