package importer

import (
	"cunjing"
)

// divisionRow is an area read from a file. A national file has 620,000 of
// them, so a row keeps its text in a rowArena and only lengths here.
type divisionRow struct {
	off       uint32 // offset of the text in its arena chunk
	chunk     uint16
	nameLen   uint16
	codeLen   uint8
	parentLen uint8
	level     uint8 // index in cunjing.Levels
	file      uint16
	line      int32
}

// arenaChunk is the size of one block of row text.
const arenaChunk = 1 << 22

// rowArena stores the code, parent and name of every row back to back in
// fixed blocks that never move.
type rowArena struct {
	chunks [][]byte
}

// add appends code, parent and name and returns a row pointing at them.
func (a *rowArena) add(code, parent, name string) divisionRow {
	n := len(code) + len(parent) + len(name)
	if len(a.chunks) == 0 || len(a.chunks[len(a.chunks)-1])+n > arenaChunk {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, n)))
	}
	last := len(a.chunks) - 1
	row := divisionRow{chunk: uint16(last), off: uint32(len(a.chunks[last])),
		codeLen: uint8(len(code)), parentLen: uint8(len(parent)), nameLen: uint16(len(name))}
	a.chunks[last] = append(append(append(a.chunks[last], code...), parent...), name...)
	return row
}

func (a *rowArena) code(r divisionRow) string {
	return string(a.chunks[r.chunk][r.off : r.off+uint32(r.codeLen)])
}

func (a *rowArena) parent(r divisionRow) string {
	start := r.off + uint32(r.codeLen)
	return string(a.chunks[r.chunk][start : start+uint32(r.parentLen)])
}

func (a *rowArena) name(r divisionRow) string {
	start := r.off + uint32(r.codeLen) + uint32(r.parentLen)
	return string(a.chunks[r.chunk][start : start+uint32(r.nameLen)])
}

// area returns the row as an area of the domain.
func (a *rowArena) area(r divisionRow) cunjing.Area {
	level := cunjing.Levels[r.level]
	area := cunjing.Area{Code: a.code(r), Name: a.name(r), Level: level, Kind: cunjing.Kind(level), ParentCode: a.parent(r)}
	if level == cunjing.LevelVillage {
		area.Kind = cunjing.KindFromName(area.Name)
	}
	return area
}

// codeKey packs an all-digit code of up to 12 digits and its length into a
// map key, so that the index of 620,000 codes holds no strings.
func codeKey(code string) uint64 {
	var v uint64
	for i := 0; i < len(code); i++ {
		v = v*10 + uint64(code[i]-'0')
	}
	return v<<4 | uint64(len(code))
}
