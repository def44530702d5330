-- Audit entries by JSON content: changes whose new value holds product "Kola" made inactive.
SELECT a.id, a.islem_tipi, a.tablo_adi, a.kayit_id, a.kullanici_adi, JSON_VALUE(a.yeni_deger, '$.stok') AS stok,
       JSON_VALUE(a.yeni_deger, '$.fiyat') AS fiyat, a.islem_tarihi
  FROM audit_logs a
 WHERE JSON_CONTAINS(a.yeni_deger, '{"urun_adi": "Kola", "aktif": false}')
 ORDER BY a.id
