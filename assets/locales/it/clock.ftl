clock-jump-title = Che anno è?
clock-jump-text = L'orologio del computer indica il { $clock }, ma i conteggi annuali arrivano al { $counted }. Se l'orologio è giusto, i casi e i progetti ancora aperti contano anche negli anni fino al { $clock }. Se l'orologio è sbagliato (batteria, impostazione), correggilo: i conteggi restano al { $counted }.
clock-jump-yes = Sì, siamo nel { $clock }
clock-jump-no = No, l'orologio è sbagliato
clock-jump-done = Anno di conteggio portato al { $clock }.
