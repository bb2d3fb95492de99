# korpus_embed_data(TARGET FILE...): compile text data files into TARGET as
#   const char kp_data_<name>[];  const size_t kp_data_<name>_len;
# where <name> is the file name without extension, '-' turned into '_'.
# The C files are generated at build time, so editing a data file rebuilds.
function(korpus_embed_data target)
  foreach(file ${ARGN})
    get_filename_component(name ${file} NAME_WE)
    string(REPLACE "-" "_" name ${name})
    set(out ${CMAKE_CURRENT_BINARY_DIR}/data_${name}.c)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DNAME=${name}
              -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
      DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
      COMMENT "Embedding ${name}" VERBATIM)
    target_sources(${target} PRIVATE ${out})
  endforeach()
endfunction()
