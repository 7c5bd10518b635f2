package demo

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// NationalSize is the shape of China's division tree (NBS 2023): about 31
// provinces, 340 cities, 2,840 county-level areas, 41,600 towns and 620,000
// village-level units.
var NationalSize = struct{ Provinces, CitiesPer, CountiesPer, TownsPer, VillagesPer int }{31, 11, 8, 15, 15}

// provinceCodes are the codes of the 31 mainland provinces.
var provinceCodes = []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65}

var (
	surnames     = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	placeEndings = []string{"庄", "营", "寨", "村", "沟", "岭", "店", "湾", "坡", "集", "屯", "楼", "洼", "岗", "河", "桥", "铺", "堡"}
	qualifiers   = []string{"", "东", "西", "南", "北", "前", "后", "大", "小", "上", "下", "新", "老"}
)

// WriteNationalDivisions writes a synthetic national division tree in the NBS
// file format to dir — provinces.csv, cities.csv, areas.csv, streets.csv and
// villages.csv — deterministically for a seed, and returns the file paths,
// parents first. It is the data of the national import benchmark.
func WriteNationalDivisions(dir string, seed uint64) ([]string, error) {
	w, err := newNationalWriter(dir, seed)
	if err != nil {
		return nil, err
	}
	n := NationalSize
	for _, p := range provinceCodes[:n.Provinces] {
		prov := fmt.Sprintf("%02d", p)
		w.line(0, "%s,\"%s省\"\n", prov, w.name(2))
		for c, cities := 1, w.around(n.CitiesPer); c <= cities; c++ {
			city := fmt.Sprintf("%s%02d", prov, c)
			w.line(1, "%s,\"%s市\",%s\n", city, w.name(2), prov)
			for a, counties := 1, w.around(n.CountiesPer); a <= counties; a++ {
				area := fmt.Sprintf("%s%02d", city, a)
				w.line(2, "%s,\"%s县\",%s,%s\n", area, w.name(2), city, prov)
				w.towns(prov, city, area)
			}
		}
	}
	return w.close()
}

// nationalWriter writes the five files side by side.
type nationalWriter struct {
	rng   *rand.Rand
	files []*os.File
	bufs  []*bufio.Writer
	err   error
}

var nationalFiles = []struct{ name, header string }{
	{"provinces.csv", "code,name"},
	{"cities.csv", "code,name,provinceCode"},
	{"areas.csv", "code,name,cityCode,provinceCode"},
	{"streets.csv", "code,name,areaCode,provinceCode,cityCode"},
	{"villages.csv", "code,name,streetCode,provinceCode,cityCode,areaCode"},
}

func newNationalWriter(dir string, seed uint64) (*nationalWriter, error) {
	w := &nationalWriter{rng: rand.New(rand.NewPCG(seed, seed))}
	for _, f := range nationalFiles {
		file, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			w.close()
			return nil, fmt.Errorf("demo: %w", err)
		}
		w.files = append(w.files, file)
		w.bufs = append(w.bufs, bufio.NewWriterSize(file, 1<<16))
		w.line(len(w.bufs)-1, "%s\n", f.header)
	}
	return w, nil
}

func (w *nationalWriter) towns(prov, city, area string) {
	for t, towns := 1, w.around(NationalSize.TownsPer); t <= towns; t++ {
		town := fmt.Sprintf("%s%03d", area, t)
		w.line(3, "%s,\"%s镇\",%s,%s,%s\n", town, w.name(2), area, prov, city)
		for v, villages := 1, w.around(NationalSize.VillagesPer); v <= villages; v++ {
			name := w.name(1) + placeEndings[w.rng.IntN(len(placeEndings))] + "村民委员会"
			if w.rng.IntN(10) == 0 {
				name = w.name(2) + "社区居民委员会"
			}
			w.line(4, "%s%03d,\"%s\",%s,%s,%s,%s\n", town, v, name, town, prov, city, area)
		}
	}
}

// around returns a count near mean: mean/2 to 3·mean/2.
func (w *nationalWriter) around(mean int) int {
	return mean/2 + w.rng.IntN(mean+1)
}

// name returns a place name of a qualifier and n surname characters.
func (w *nationalWriter) name(n int) string {
	s := qualifiers[w.rng.IntN(len(qualifiers))]
	for i := 0; i < n; i++ {
		s += string(surnames[w.rng.IntN(len(surnames))])
	}
	return s
}

func (w *nationalWriter) line(file int, format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.bufs[file], format, args...)
	}
}

func (w *nationalWriter) close() ([]string, error) {
	var paths []string
	for i, f := range w.files {
		if err := w.bufs[i].Flush(); err != nil && w.err == nil {
			w.err = err
		}
		if err := f.Close(); err != nil && w.err == nil {
			w.err = err
		}
		paths = append(paths, f.Name())
	}
	if w.err != nil {
		return nil, fmt.Errorf("demo: write national divisions: %w", w.err)
	}
	return paths, nil
}
