# cmake -DIN=file -DOUT=file.c -DNAME=name -P embed.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# break the initializer into lines of 16 bytes
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT} "/* Generated from ${IN} by cmake/embed.cmake: do not edit. */\n"
  "#include <stddef.h>\n"
  "extern const char kp_data_${NAME}[];\n"
  "extern const size_t kp_data_${NAME}_len;\n"
  "const char kp_data_${NAME}[] = {\n${bytes}0x00};\n"
  "const size_t kp_data_${NAME}_len = ${len};\n")
